using System.Text.Json;
using System.Text.RegularExpressions;
using KvPerf.Bench;
using KvPerf.Report;
using KvPerf.Results;
using KvPerf.Statistics;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Bench;

public sealed class BenchReportSpecs
{
    [Fact]
    public void Ratio_divides_writes_per_second_by_redis_at_the_same_W_and_clients()
    {
        // Arrange
        BenchCase[] cases =
        [
            Case(BenchSystems.LocalMemory, 5, 10, 2_000),
            Case(BenchSystems.Redis, 5, 10, 20_000),
            Case(BenchSystems.Redis, 5, 64, 40_000),
            Case(BenchSystems.LocalMemory, 1, 10, 3_000),
        ];

        // Act
        var ratios = BenchResults.WithRatios(cases).Select(c => c.RatioToRedis).ToArray();

        // Assert: no Redis at W=1, so no ratio rather than a made-up one.
        ratios.Should().Equal(0.1, 1.0, 1.0, null);
    }

    [Fact]
    public void Ratio_is_missing_when_redis_wrote_nothing()
    {
        var ratios = BenchResults.WithRatios([Case(BenchSystems.LocalMemory, 5, 1, 500), Case(BenchSystems.Redis, 5, 1, 0)]);

        ratios[0].RatioToRedis.Should().BeNull();
    }

    [Fact]
    public async Task Results_file_has_machine_config_cases_and_footprints()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bench.json");

        await GeneratedBenchResults.Create().WriteAsync(path, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = json.RootElement;
        root.GetProperty("machine").GetProperty("processorCount").GetInt32().Should().Be(2);
        root.GetProperty("machine").GetProperty("gitCommit").GetString().Should().HaveLength(40);
        root.GetProperty("config").GetProperty("valueExample").GetString().Should().StartWith("{\"n\":0,\"pad\":\"xxx");
        root.GetProperty("config").GetProperty("minDelayMs").GetInt32().Should().Be(0);
        var cases = root.GetProperty("cases");
        cases.GetArrayLength().Should().Be(30);
        var first = cases[0];
        first.GetProperty("system").GetString().Should().Be("kvstore local (memory)");
        first.GetProperty("writeQuorum").GetInt32().Should().Be(1);
        first.GetProperty("clients").GetInt32().Should().Be(1);
        foreach (var name in new[] { "writesPerSecond", "p50Ms", "p99Ms", "meanMs", "maxMs", "writes", "errors" })
        {
            first.GetProperty("measured").GetProperty(name).ValueKind.Should().Be(JsonValueKind.Number, name);
        }

        first.GetProperty("ratioToRedis").GetDouble().Should().Be(0.1);
        first.GetProperty("rssMb").GetDouble().Should().Be(600);
        first.GetProperty("nodesRssMb").GetProperty("leader").GetDouble().Should().Be(100);
        var footprint = root.GetProperty("footprints")[3];
        footprint.GetProperty("system").GetString().Should().Be("kvstore compose (everysec)");
        footprint.GetProperty("idleCpuPercentOfOneCore").GetDouble().Should().Be(25);
        footprint.GetProperty("cpuSource").GetString().Should().Be("cgroup");
    }

    [Fact]
    public async Task Results_read_back_equal_what_was_written()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bench.json");
        var written = GeneratedBenchResults.Create();

        await written.WriteAsync(path, CancellationToken.None);
        var read = await BenchResults.ReadAsync(path, CancellationToken.None);

        read.Should().BeEquivalentTo(written);
    }

    [Fact]
    public void Table_puts_each_kvstore_row_beside_redis_with_its_ratio()
    {
        var text = PlainConsole.Render(BenchTable.Cases(GeneratedBenchResults.Create()));

        var rows = text.Split('\n').Where(l => Regex.IsMatch(l, @"^\s*(kvstore [a-z]+ \([a-z]+\)|redis)\s+5\s+10\s")).ToArray();
        rows.Should().HaveCount(5);
        rows[0].Should().Contain("kvstore local (memory)").And.Contain("0.10×");
        rows[1].Should().Contain("kvstore local (everysec)").And.Contain("0.050×");
        rows[2].Should().Contain("kvstore local (always)").And.Contain("0.020×");
        rows[3].Should().Contain("kvstore compose (everysec)").And.Contain("0.010×");
        rows[4].Should().Contain("redis");
        text.Should().Contain("commit 0123456789ab");
    }

    [Fact]
    public void Footprint_table_shows_memory_under_load_and_idle_cpu()
    {
        var text = PlainConsole.Render(BenchTable.Footprints(GeneratedBenchResults.Create()));

        text.Should().Contain("kvstore compose (everysec)").And.Contain("720").And.Contain("25.0 %").And.Contain("cgroup");
        text.Should().Contain("W=5, 64 clients");
    }

    [Fact]
    public void Chart_page_inlines_plotly_js_and_carries_every_system_and_figure()
    {
        var results = GeneratedBenchResults.Create();

        var html = BenchChart.ToHtml(results);

        html.Should().Contain("plotly.js v2.", "Plotly.NET's own copy of plotly.js is inlined");
        html.Should().NotContain("<script src=", "the page must open offline");
        foreach (var system in new[] { "kvstore local (memory)", "kvstore local (everysec)", "kvstore local (always)", "kvstore compose (everysec)", "redis" })
        {
            html.Should().Contain($"\"name\":\"{system}\"");
        }

        html.Should().Contain("\"type\":\"log\"");
        html.Should().Contain("W=5, 64 clients");
        var redis = results.Cases.First(c => c.System == "redis" && c.WriteQuorum == 5 && c.Clients == 64);
        html.Should().Contain(redis.Measured.WritesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
        html.Should().Contain("\"0.10×\"", "each kvstore bar is labelled with its ratio to Redis");
    }

    [Fact]
    public void Chart_has_a_bar_trace_per_system_measured_in_each_row()
    {
        var chart = BenchChart.Build(GeneratedBenchResults.Create("local", "redis"));

        // Writes/s on top, p50 latency below.
        Plotly.NET.CSharp.GenericChartExtensions.GetTraces(chart).Should().HaveCount(4);
    }

    private static BenchCase Case(string system, int w, int clients, double writesPerSecond) =>
        new(system, w, clients, new ThroughputSummary((long)writesPerSecond, 0, writesPerSecond, 1, 1, 2, 3),
            new Dictionary<string, long>(), null, null, new Dictionary<string, double?>(), null);
}
