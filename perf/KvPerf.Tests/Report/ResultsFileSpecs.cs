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
        foreach (var name in new[] { "mean", "p50", "p99" })
        {
            run.GetProperty("beyondInjectedDelayMs").GetProperty(name).ValueKind.Should().Be(JsonValueKind.Number, name);
        }

        run.GetProperty("injectedDelaysMs").GetArrayLength().Should().Be(100);
        run.GetProperty("writeLatenciesMs").GetArrayLength().Should().Be(100);
        run.GetProperty("failures").GetInt32().Should().Be(0);
        var consistency = run.GetProperty("consistency");
        consistency.GetProperty("atLastAck").GetArrayLength().Should().Be(5);
        consistency.GetProperty("atLastAck")[4].GetProperty("olderKeys").GetInt32().Should().Be(5);
        consistency.GetProperty("converged").GetBoolean().Should().BeTrue();
        consistency.GetProperty("convergenceMs").GetDouble().Should().Be(750);
    }

    [Fact]
    public async Task Results_written_before_the_leader_named_its_delays_read_back_without_them()
    {
        // Arrange: a results file as written before runs kept the injected delays.
        using var temp = new TempDirectory();
        var path = temp.File("quorum-latency.json");
        await GeneratedResults.Create().WriteAsync(path, CancellationToken.None);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        foreach (var run in json["sweeps"]!.AsArray().SelectMany(s => s!["runs"]!.AsArray()))
        {
            run!.AsObject().Remove("beyondInjectedDelayMs");
            run.AsObject().Remove("injectedDelaysMs");
        }

        await File.WriteAllTextAsync(path, json.ToJsonString());

        // Act
        var read = await ExperimentResults.ReadAsync(path, CancellationToken.None);

        // Assert
        read.Sweeps.SelectMany(s => s.Runs).Should().OnlyContain(r => r.BeyondInjectedDelayMs == null && r.InjectedDelaysMs == null);
        read.Sweeps[0].Runs[0].LatencyMs.Should().NotBeNull();
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
