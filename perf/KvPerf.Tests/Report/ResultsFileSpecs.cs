using System.Text.Json;
using KvPerf.Results;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Report;

public sealed class ResultsFileSpecs
{
    [Fact]
    public async Task Results_file_has_the_shape_issue_3_gives()
    {
        using var temp = new TempDirectory();
        var path = temp.File("quorum-latency.json");

        await GeneratedResults.Create().WriteAsync(path, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = json.RootElement;
        root.GetProperty("config").GetProperty("writes").GetInt32().Should().Be(100);
        var sweep = root.GetProperty("sweeps")[0];
        sweep.GetProperty("ackMode").GetString().Should().Be("received");
        var run = sweep.GetProperty("runs")[0];
        run.GetProperty("writeQuorum").GetInt32().Should().Be(1);
        foreach (var name in new[] { "mean", "p50", "p95", "p99", "min", "max" })
        {
            run.GetProperty("latencyMs").GetProperty(name).ValueKind.Should().Be(JsonValueKind.Number, name);
        }

        run.GetProperty("expectedMeanMs").GetDouble().Should().BeApproximately(166.67, 0.01);
        run.GetProperty("failures").GetInt32().Should().Be(0);
        var consistency = run.GetProperty("consistency");
        consistency.GetProperty("atLastAck").GetArrayLength().Should().Be(5);
        consistency.GetProperty("atLastAck")[4].GetProperty("olderKeys").GetInt32().Should().Be(5);
        consistency.GetProperty("converged").GetBoolean().Should().BeTrue();
        consistency.GetProperty("convergenceMs").GetDouble().Should().Be(750);
    }

    [Fact]
    public async Task Results_read_back_equal_what_was_written()
    {
        using var temp = new TempDirectory();
        var path = temp.File("quorum-latency.json");
        var written = GeneratedResults.Create();

        await written.WriteAsync(path, CancellationToken.None);
        var read = await ExperimentResults.ReadAsync(path, CancellationToken.None);

        read.Should().BeEquivalentTo(written);
    }
}
