using System.Globalization;
using KvPerf.Results;
using KvPerf.Statistics;
using Microsoft.FSharp.Core;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;
using Extensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace KvPerf.Report;

/// <summary>
/// The experiment's chart, built with Plotly.NET, one colour per ack mode in every row. Top: mean
/// latency in ms against W over its p50–p95 band, with the expected curve MIN + W/(N+1)·(MAX−MIN).
/// Middle, when the results hold it: the time beyond the injected delay (latency minus the
/// leader's <c>Server-Timing</c> quorum-delay), mean over its p50–p99 band. Bottom: how many
/// followers were behind the leader right after the last answer, labelled with the time until
/// all equalled it. The page inlines the plotly.js that Plotly.NET ships, so it opens offline.
/// </summary>
public static class ExperimentChart
{
    /// <summary>The chart's width in CSS pixels.</summary>
    public const int Width = 1200;

    /// <summary>The chart's height in CSS pixels, with or without the middle row.</summary>
    public const int Height = 1100;

    // Between rows, as a fraction of a row's height (Plotly's grid ygap).
    private const double RowGap = 0.3;

    // Colour per ack mode, the same in every row so a reader pairs them without the legend.
    private static readonly Dictionary<string, (string Line, string Band)> Colours = new(StringComparer.Ordinal)
    {
        ["received"] = ("#1f77b4", "rgba(31,119,180,0.18)"),
        ["applied"] = ("#d62728", "rgba(214,39,40,0.16)"),
    };

    private static readonly (string Line, string Band) FallbackColour = ("#2ca02c", "rgba(44,160,44,0.18)");

    /// <summary>
    /// Builds the chart for <paramref name="results"/>, one row per subplot. Traces in order: per
    /// ack mode the latency row's p95 edge, p50 edge filled up to it and mean, then the expected
    /// curve; per ack mode with any such data the middle row's p99 edge, p50 edge and mean; per
    /// ack mode the lag bars.
    /// </summary>
    public static GenericChart Build(ExperimentResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var config = results.Config;
        var rows = new List<(GenericChart Row, string Title)>();

        var latencyRuns = results.Sweeps.SelectMany(s => s.Runs).Where(r => r.LatencyMs is not null).ToArray();
        var expected = Expected(config);
        var latency = CSharpChart.Combine(results.Sweeps
            .SelectMany(s => Band(s, "latency", r => r.LatencyMs, "p95", l => l.P95, showLegend: true))
            .Append(expected.Trace));
        var latencyTop = latencyRuns.Select(r => r.LatencyMs!.P95).Concat(expected.Values).DefaultIfEmpty(1).Max();
        rows.Add((Axes(latency, config, "client-side write latency (ms)", (0, latencyTop * 1.05), "write quorum W (follower acknowledgements each write waits for)"),
            "Write latency against W: mean over the p50–p95 band, and the mean the simulated delays alone would give"));

        var beyondRuns = results.Sweeps.SelectMany(s => s.Runs).Where(r => r.BeyondInjectedDelayMs is not null).ToArray();
        if (beyondRuns.Length > 0)
        {
            var beyond = CSharpChart.Combine(results.Sweeps
                .SelectMany(s => Band(s, "beyond the injected delay", r => r.BeyondInjectedDelayMs, "p99", l => l.P99, showLegend: false)));
            var low = Math.Min(0, beyondRuns.Min(r => r.BeyondInjectedDelayMs!.P50));
            var high = Math.Max(1, beyondRuns.Max(r => r.BeyondInjectedDelayMs!.P99));
            rows.Add((Axes(beyond, config, "beyond the<br>injected delay (ms)", (low * 1.1, high * 1.1)),
                "Time beyond the injected delay: latency − the leader's Server-Timing quorum-delay " +
                "(the delay of the acknowledgement that completed the quorum); mean over the p50–p99 band"));
        }

        var lag = CSharpChart.Combine(results.Sweeps.Select(Lag));
        rows.Add((Axes(lag, config, "followers<br>behind", (0, config.Followers + 1.5)),
            "Right after the last answer: followers not yet equal to the leader (bars); " +
            "time from the last answer until all equal it (labels)"));

        var chart = CSharpChart.Grid(
            rows.Select(r => r.Row), rows.Count, 1,
            SubPlotTitles: rows.Select(r => r.Title).ToArray(), SubPlotTitleFont: FontOfSize(13), YGap: RowGap);

        // Bottom right of the latency row (Plotly's grid gives each row 1 / (rows + gaps) of the
        // height), clear of the W ticks: low latency at high W never happens, so no data is hidden.
        var rowHeight = 1 / (rows.Count + ((rows.Count - 1) * RowGap));
        chart = Extensions.WithLegendStyle(
            chart, BGColor: Color.fromString("rgba(255,255,255,0.85)"),
            X: 0.99, XAnchor: StyleParam.XAnchorPosition.Right, Y: 1 - rowHeight + (0.08 * rowHeight), YAnchor: StyleParam.YAnchorPosition.Bottom);
        var title = $"kvstore: write latency vs write quorum W — {config.Writes} writes, {config.Concurrency} at a time, " +
            $"N={config.Followers} followers, delay U[{config.MinDelayMs}, {config.MaxDelayMs}] ms ({config.Cluster} cluster)";
        chart = Plotly.NET.Chart.withTitle(title, FontOfSize(15)).Invoke(chart);
        return Extensions.WithSize(chart, Width, Height);
    }

    /// <summary>The page's title: the cluster and when the experiment started.</summary>
    public static string PageTitle(ExperimentResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return $"kvstore quorum experiment ({results.Config.Cluster} cluster, " +
            $"{results.Config.StartedAtUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)";
    }

    /// <summary>The whole page: plotly.js inlined, then the chart.</summary>
    public static string ToHtml(ExperimentResults results) => OfflinePage.ToHtml(Build(results), PageTitle(results));

    // A band is two traces, the upper edge then the p50 edge filled up to it ("tonexty" fills to
    // the trace before it on the same axes), and the mean over it; runs without the figure are left out.
    private static IEnumerable<GenericChart> Band(
        SweepResult sweep, string what, Func<RunResult, LatencySummary?> summaryOf, string upper, Func<LatencySummary, double> upperOf, bool showLegend)
    {
        var (line, band) = ColourOf(sweep.AckMode);
        var runs = sweep.Runs.Where(r => summaryOf(r) is not null).ToArray();
        if (runs.Length == 0)
        {
            yield break;
        }

        var w = runs.Select(r => r.WriteQuorum).ToArray();
        var summaries = runs.Select(r => summaryOf(r)!).ToArray();
        yield return InGroup(sweep, CSharpChart.Line<int, double, string>(
            w, summaries.Select(upperOf),
            Name: $"{sweep.AckMode}: {what}, {upper}", ShowLegend: false, LineColor: Color.fromHex(line), LineWidth: 0));
        yield return InGroup(sweep, CSharpChart.Line<int, double, string>(
            w, summaries.Select(s => s.P50),
            Name: $"{sweep.AckMode}: {what}, p50–{upper}", ShowLegend: showLegend, LineColor: Color.fromHex(line), LineWidth: 0,
            Fill: StyleParam.Fill.ToNext_y, FillColor: Color.fromString(band)));
        yield return InGroup(sweep, CSharpChart.Line<int, double, string>(
            w, summaries.Select(s => s.Mean),
            ShowMarkers: true, Name: $"{sweep.AckMode}: {what}, mean", ShowLegend: showLegend,
            MultiText: runs.Select(r => r.Failures == 0 ? "no failed writes" : $"{r.Failures} failed writes").ToArray(),
            LineColor: Color.fromHex(line), LineWidth: 3));
    }

    private static (GenericChart Trace, double[] Values) Expected(ExperimentConfig config)
    {
        var expected = config.Quorums
            .Select(w => LatencyStatistics.ExpectedMeanMs(w, config.Followers, config.MinDelayMs, config.MaxDelayMs))
            .ToArray();
        return (CSharpChart.Line<int, double, string>(
            config.Quorums, expected, ShowMarkers: true,
            Name: $"expected: {config.MinDelayMs} + W/{config.Followers + 1}·{config.MaxDelayMs - config.MinDelayMs} ms",
            LineColor: Color.fromHex("#444444"), LineWidth: 2, LineDash: StyleParam.DrawingStyle.Dash, MarkerSymbol: StyleParam.MarkerSymbol.X), expected);
    }

    private static GenericChart Lag(SweepResult sweep) =>
        InGroup(sweep, CSharpChart.Column<int, int, string>(
            sweep.Runs.Select(r => r.Consistency.BehindAtLastAck),
            Keys: sweep.Runs.Select(r => r.WriteQuorum).ToArray(),
            Name: $"{sweep.AckMode}: followers behind at the last answer",
            ShowLegend: false,
            MultiText: sweep.Runs.Select(r => r.Consistency.ConvergenceMs is { } ms
                ? $"{ms.ToString("0", CultureInfo.InvariantCulture)} ms"
                : "never").ToArray(),
            MarkerColor: Color.fromHex(ColourOf(sweep.AckMode).Line),
            TextPosition: StyleParam.TextPosition.Outside));

    // One legend group per ack mode: one click on the legend hides a mode in every row.
    private static GenericChart InGroup(SweepResult sweep, GenericChart trace) =>
        Extensions.WithTraceInfo(trace, LegendGroup: sweep.AckMode);

    // W is a category axis with every W swept, in order, over the same range in every row (in
    // category positions, half a slot beyond the first and last for the bars): each row then
    // shows each W once, at the same place. Plotly.NET's C# API sets no tick values, and a linear
    // axis would also tick at W = 1.5.
    private static GenericChart Axes(GenericChart row, ExperimentConfig config, string yTitle, (double Min, double Max) range, string? xTitle = null)
    {
        row = Extensions.WithXAxisStyle<double, double, int>(
            row, TitleText: xTitle is null ? default(Plotly.NET.CSharp.Optional<string>) : xTitle, AxisType: StyleParam.AxisType.Category,
            MinMax: Tuple.Create(-0.5, config.Quorums.Count - 0.5),
            CategoryOrder: StyleParam.CategoryOrder.Array, CategoryArray: config.Quorums.ToArray());
        return Extensions.WithYAxisStyle<double, double, string>(row, TitleText: yTitle, MinMax: Tuple.Create(range.Min, range.Max));
    }

    // Plotly.NET's Font.init takes every argument from C#: null is "not set".
    private static Font FontOfSize(double size) => Font.init(null, size, null);

    private static (string Line, string Band) ColourOf(string ackMode) =>
        Colours.TryGetValue(ackMode, out var colour) ? colour : FallbackColour;
}
