using System.Globalization;
using KvPerf.Bench;
using KvPerf.Results;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace KvPerf.Report;

/// <summary>
/// The benchmark's chart, built with Plotly.NET: writes/s per case (W and clients) as grouped
/// bars, one colour per system, on a log axis (Redis and kvstore differ by orders of magnitude),
/// each kvstore bar labelled with its ratio to Redis. The page inlines the whole plotly.js that
/// Plotly.NET ships, so it opens offline.
/// </summary>
public static class BenchChart
{
    /// <summary>Builds the chart for <paramref name="results"/>: one bar trace per system, in the order measured.</summary>
    public static GenericChart Build(BenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var caseKeys = results.Cases
            .Select(c => (c.WriteQuorum, c.Clients))
            .Distinct()
            .OrderBy(k => k.WriteQuorum).ThenBy(k => k.Clients)
            .ToArray();
        var labels = caseKeys.Select(k => BenchRunner.Case(k.WriteQuorum, k.Clients)).ToArray();
        var traces = results.Cases
            .GroupBy(c => c.System)
            .Select(system =>
            {
                // One bar per case in the shared order; a case this system lacks gets no bar.
                var byCase = system.ToDictionary(c => (c.WriteQuorum, c.Clients));
                var present = caseKeys.Where(byCase.ContainsKey).ToArray();
                return CSharpChart.Column<double, string, string>(
                    values: present.Select(k => byCase[k].Measured.WritesPerSecond),
                    Keys: present.Select(k => BenchRunner.Case(k.WriteQuorum, k.Clients)).ToArray(),
                    Name: system.Key,
                    MultiText: present.Select(k => Hover(byCase[k])).ToArray());
            })
            .ToArray();

        var machine = results.Machine;
        var title = $"kvstore vs Redis 7: closed-loop writes/s ({machine.ProcessorCount} cores, " +
            $"{machine.StartedAtUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, " +
            $"commit {(machine.GitCommit is { } commit ? commit[..Math.Min(12, commit.Length)] : "unknown")})";
        var chart = CSharpChart.Combine(traces);
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<string, string, string>(
            chart, TitleText: "case (write quorum W, closed-loop clients)", CategoryOrder: StyleParam.CategoryOrder.Array, CategoryArray: labels);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(
            chart, TitleText: "successful writes per second (log scale)", AxisType: StyleParam.AxisType.Log);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, 1200, 700);
        return chart;
    }

    /// <summary>The whole page: plotly.js inlined, then the chart.</summary>
    public static string ToHtml(BenchResults results)
    {
        var chart = Build(results);
        var display = DisplayOptions.init(
            DocumentTitle: FSharpOption<string>.Some("kvstore vs Redis: make bench"),
            DocumentCharset: null,
            DocumentDescription: null,
            DocumentFavicon: null,
            AdditionalHeadTags: null,
            ChartDescription: null,
            PlotlyJSReference: FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.Full));
        return GenericChart.toEmbeddedHTML(Plotly.NET.Chart.withDisplayOptions(display).Invoke(chart));
    }

    /// <summary>Writes the page to <paramref name="path"/>.</summary>
    public static Task WriteAsync(BenchResults results, string path, CancellationToken ct) =>
        File.WriteAllTextAsync(path, ToHtml(results), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ct);

    private static string Hover(BenchCase c)
    {
        var m = c.Measured;
        var ratio = c.System == BenchResults.Yardstick ? "" : $"{BenchTable.Ratio(c.RatioToRedis)} Redis, ";
        return string.Create(CultureInfo.InvariantCulture, $"{ratio}p50 {m.P50Ms:0.00} ms, p99 {m.P99Ms:0.00} ms, {m.Errors} errors");
    }
}
