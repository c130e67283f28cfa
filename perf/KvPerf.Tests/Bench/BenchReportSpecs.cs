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
    public void Ratio_to_memory_divides_a_durable_local_systems_writes_per_second_by_local_memorys_at_the_same_W_and_clients()
    {
        // Arrange
        BenchCase[] cases =
        [
            Case(BenchSystems.LocalMemory, 5, 64, 10_000),
            Case(BenchSystems.LocalEverySec, 5, 64, 6_000),
            Case(BenchSystems.LocalAlways, 5, 64, 1_500),
            Case(BenchSystems.Compose, 5, 64, 3_000),
            Case(BenchSystems.Redis, 5, 64, 40_000),
            Case(BenchSystems.LocalEverySec, 1, 64, 4_000),
        ];

        // Act
        var ratios = BenchResults.WithRatios(cases).Select(c => c.RatioToMemory).ToArray();

        // Assert: memory, compose and Redis are no durable local system; no memory case at W=1.
        ratios.Should().Equal(null, 0.6, 0.15, null, null, null);
    }

    [Fact]
    public void Ratio_to_memory_is_missing_when_memory_wrote_nothing()
    {
        var ratios = BenchResults.WithRatios([Case(BenchSystems.LocalMemory, 5, 64, 0), Case(BenchSystems.LocalAlways, 5, 64, 800)]);

        ratios[1].RatioToMemory.Should().BeNull();
        ratios[1].RatioToRedis.Should().BeNull("no Redis case either");
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
        first.GetProperty("ratioToMemory").ValueKind.Should().Be(JsonValueKind.Null);
        var everysec = cases.EnumerateArray().First(c => c.GetProperty("system").GetString() == "kvstore local (everysec)");
        everysec.GetProperty("ratioToMemory").GetDouble().Should().Be(0.5);
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
    public async Task Results_written_before_the_durable_targets_read_with_no_ratio_to_memory()
    {
        // Arrange: a file as the bench wrote it before RatioToMemory existed.
        using var temp = new TempDirectory();
        var path = temp.File("bench.json");
        await GeneratedBenchResults.Create("local", "compose", "redis").WriteAsync(path, CancellationToken.None);
        var old = Regex.Replace(await File.ReadAllTextAsync(path), @",\s*""ratioToMemory"": null", "");
        await File.WriteAllTextAsync(path, old);

        // Act
        var read = await BenchResults.ReadAsync(path, CancellationToken.None);

        // Assert
        old.Should().NotContain("ratioToMemory");
        read.Cases.Should().HaveCount(18).And.AllSatisfy(c => c.RatioToMemory.Should().BeNull());
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
    public void Table_shows_each_durable_local_rows_ratio_to_memory_beside_the_memory_row()
    {
        var text = PlainConsole.Render(BenchTable.Cases(GeneratedBenchResults.Create()));

        // The caption wraps: read it with its line breaks as spaces.
        Regex.Replace(text, @"\s+", " ").Should().Contain("vs memory = writes/s ÷ kvstore local (memory)'s at the same W and clients");
        var rows = text.Split('\n').Where(l => Regex.IsMatch(l, @"^\s*kvstore local \([a-z]+\)\s+5\s+64\s")).ToArray();
        rows.Should().HaveCount(3);
        Regex.Matches(rows[0], "×").Should().HaveCount(1, "memory has only its ratio to Redis");
        rows[1].Should().Contain("kvstore local (everysec)").And.MatchRegex(@"0\.050×\s+0\.50×");
        rows[2].Should().Contain("kvstore local (always)").And.MatchRegex(@"0\.020×\s+0\.20×");
    }

    [Fact]
    public void Table_keeps_every_column_in_80_columns_by_wrapping_the_system_names()
    {
        // 80 columns is what Spectre assumes when the output goes to a file or a CI log.
        var text = PlainConsole.Render(BenchTable.Cases(GeneratedBenchResults.Create()), width: 80);

        var lines = text.Split('\n');
        lines.Should().OnlyContain(l => l.TrimEnd().Length <= 80);
        lines.Should().Contain(l => Regex.IsMatch(l, @"^\s*system\s+W\s+clients\s+writes/s\s+p50 ms\s+p99 ms\s+errors\s+vs Redis\s+vs memory\s*$"));
        lines.Should().Contain(l => Regex.IsMatch(l, @"^\s*kvstore\s+5\s+64\s+4,571\s+14\.50\s+14\.99\s+0\s+0\.050×\s+0\.50×\s*$"));
    }

    [Fact]
    public void Table_has_no_vs_memory_column_when_no_durable_local_system_ran()
    {
        var text = PlainConsole.Render(BenchTable.Cases(GeneratedBenchResults.Create("local", "compose", "redis")));

        text.Should().NotContain("vs memory");
    }

    [Fact]
    public void Footprint_table_shows_memory_under_load_and_idle_cpu()
    {
        var text = PlainConsole.Render(BenchTable.Footprints(GeneratedBenchResults.Create()));

        text.Should().Contain("kvstore compose (everysec)").And.Contain("720").And.Contain("25.0 %").And.Contain("cgroup");
        text.Should().Contain("W=5, 64 clients");
    }

    [Fact]
    public void Footprint_caption_says_how_long_after_the_load_idle_cpu_was_measured_when_recorded()
    {
        var results = GeneratedBenchResults.Create();
        var recorded = results with { Config = results.Config with { IdleAfterSeconds = 30, IdleSeconds = 20 } };

        PlainConsole.Render(BenchTable.Footprints(recorded), width: 400).Should().Contain("idle CPU: 20 s without load, from 30 s after it,");

        // Results written before the wait was recorded (it was 2 s then) must not claim one.
        PlainConsole.Render(BenchTable.Footprints(results), width: 400).Should().Contain("idle CPU: 10 s without load, % of one core");
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
