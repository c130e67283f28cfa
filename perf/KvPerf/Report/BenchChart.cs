using System.Globalization;
using KvPerf.Bench;
using KvPerf.Results;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace KvPerf.Report;

/// <summary>
/// The benchmark's chart, built with Plotly.NET: per case (W and clients) grouped bars, one colour
/// per system, writes/s on top and p50 latency below, both on log axes (Redis and kvstore differ
/// by orders of magnitude); each kvstore bar of writes/s is labelled with its ratio to Redis. The
/// page inlines the whole plotly.js that Plotly.NET ships, so it opens offline.
/// </summary>
public static class BenchChart
{
    // One colour per system in both rows, so a reader pairs them without the legend.
    private static readonly Dictionary<string, string> Colours = new(StringComparer.Ordinal)
    {
        [BenchSystems.LocalMemory] = "#1f77b4",
        [BenchSystems.LocalEverySec] = "#9467bd",
        [BenchSystems.LocalAlways] = "#8c564b",
        [BenchSystems.Compose] = "#ff7f0e",
        [BenchSystems.Redis] = "#d62728",
    };

    /// <summary>Builds the chart for <paramref name="results"/>: per row one bar trace per system, in the order measured.</summary>
    public static GenericChart Build(BenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var caseKeys = results.Cases
            .Select(c => (c.WriteQuorum, c.Clients))
            .Distinct()
            .OrderBy(k => k.WriteQuorum).ThenBy(k => k.Clients)
            .ToArray();
        var labels = caseKeys.Select(k => BenchRunner.Case(k.WriteQuorum, k.Clients)).ToArray();
        var systems = results.Cases.GroupBy(c => c.System).ToArray();

        var writes = Row(
            systems.Select(s => Bars(s, caseKeys, c => c.Measured.WritesPerSecond, RatioLabel, showLegend: true)),
            labels, "writes/s (log)");
        var latency = Row(
            systems.Select(s => Bars(s, caseKeys, c => c.Measured.P50Ms, _ => "", showLegend: false)),
            labels, "p50 latency, ms (log)");

        var machine = results.Machine;
        var title = $"kvstore vs Redis 7: closed-loop writes ({machine.ProcessorCount} cores, " +
            $"{machine.StartedAtUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, " +
            $"commit {(machine.GitCommit is { } commit ? commit[..Math.Min(12, commit.Length)] : "unknown")})";
        var chart = CSharpChart.Grid([writes, latency], 2, 1, YGap: 0.15);
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        return Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, 1200, 900);
    }

    /// <summary>The whole page: plotly.js inlined, then the chart.</summary>
    public static string ToHtml(BenchResults results) =>
        OfflinePage.ToHtml(Build(results), "kvstore vs Redis: make bench");

    /// <summary>Writes the page to <paramref name="path"/>.</summary>
    public static Task WriteAsync(BenchResults results, string path, CancellationToken ct) =>
        File.WriteAllTextAsync(path, ToHtml(results), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ct);

    private static GenericChart Bars(
        IGrouping<string, BenchCase> system, (int WriteQuorum, int Clients)[] caseKeys, Func<BenchCase, double?> value, Func<BenchCase, string> label, bool showLegend)
    {
        // One bar per case in the shared order; a case this system lacks, or a figure it has not
        // (no successful write), gets no bar.
        var byCase = system.ToDictionary(c => (c.WriteQuorum, c.Clients));
        var present = caseKeys.Where(k => byCase.TryGetValue(k, out var c) && value(c) is > 0).Select(k => byCase[k]).ToArray();
        return CSharpChart.Column<double, string, string>(
            values: present.Select(c => value(c)!.Value),
            Keys: present.Select(c => BenchRunner.Case(c.WriteQuorum, c.Clients)).ToArray(),
            Name: system.Key,
            ShowLegend: showLegend,
            MultiText: present.Select(label).ToArray(),
            MarkerColor: Color.fromHex(Colours.GetValueOrDefault(system.Key, "#2ca02c")),
            TextPosition: StyleParam.TextPosition.Outside);
    }

    private static GenericChart Row(IEnumerable<GenericChart> bars, string[] labels, string axisTitle)
    {
        var row = CSharpChart.Combine(bars);
        row = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<string, string, string>(
            row, CategoryOrder: StyleParam.CategoryOrder.Array, CategoryArray: labels);
        return Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(
            row, TitleText: axisTitle, AxisType: StyleParam.AxisType.Log);
    }

    private static string RatioLabel(BenchCase c) =>
        c.System == BenchResults.Yardstick ? "" : BenchTable.Ratio(c.RatioToRedis);
}
