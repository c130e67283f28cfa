using System.Globalization;
using System.Text.Json.Nodes;
using KvPerf.Results;
using KvPerf.Statistics;

namespace KvPerf.Report;

/// <summary>
/// Builds the report's Plotly figure (<c>{"data", "layout", "config"}</c>) from the results.
/// Top: mean latency in ms against W, per ack mode, over its p50–p95 band, with the expected
/// curve MIN + W/(N+1)·(MAX−MIN). Bottom: per W and ack mode, how many followers were behind the
/// leader right after the last answer, labelled with the time they took to catch up.
/// </summary>
public static class PlotlyFigureBuilder
{
    /// <summary>Traces per ack mode: p95 edge, p50 edge filled up to it, mean, lag bars.</summary>
    public const int TracesPerAckMode = 4;

    /// <summary>Traces that do not depend on the ack modes: the expected curve.</summary>
    public const int SharedTraces = 1;

    // Colour per ack mode, the same in both subplots so a reader pairs them without the legend.
    private static readonly Dictionary<string, (string Line, string Band)> Colours = new(StringComparer.Ordinal)
    {
        ["received"] = ("#1f77b4", "rgba(31,119,180,0.18)"),
        ["applied"] = ("#d62728", "rgba(214,39,40,0.16)"),
    };

    private static readonly (string Line, string Band) FallbackColour = ("#2ca02c", "rgba(44,160,44,0.18)");

    /// <summary>The number of traces the figure of <paramref name="results"/> has.</summary>
    public static int TraceCount(ExperimentResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return (results.Sweeps.Count * TracesPerAckMode) + SharedTraces;
    }

    /// <summary>Builds the figure as Plotly JSON.</summary>
    public static JsonObject Build(ExperimentResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var config = results.Config;
        var data = new JsonArray();
        foreach (var sweep in results.Sweeps)
        {
            foreach (var trace in LatencyTraces(sweep))
            {
                data.Add(trace);
            }
        }

        data.Add(ExpectedTrace(config));
        foreach (var sweep in results.Sweeps)
        {
            data.Add(LagTrace(sweep));
        }

        return new JsonObject
        {
            ["data"] = data,
            ["layout"] = Layout(config),
            ["config"] = new JsonObject { ["responsive"] = true, ["displaylogo"] = false },
        };
    }

    private static IEnumerable<JsonObject> LatencyTraces(SweepResult sweep)
    {
        var (line, band) = ColourOf(sweep.AckMode);
        var runs = sweep.Runs.Where(r => r.LatencyMs is not null).ToArray();
        var w = Numbers(runs.Select(r => (double)r.WriteQuorum));

        // The band is two traces: the p95 edge, then the p50 edge filled up to it ("tonexty").
        yield return new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines", ["name"] = $"{sweep.AckMode} p95",
            ["x"] = w, ["y"] = Numbers(runs.Select(r => r.LatencyMs!.P95)),
            ["line"] = new JsonObject { ["width"] = 0, ["color"] = line },
            ["showlegend"] = false, ["legendgroup"] = sweep.AckMode,
            ["hovertemplate"] = $"{sweep.AckMode} W=%{{x}}: p95 %{{y:.0f}} ms<extra></extra>",
        };
        yield return new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines", ["name"] = $"{sweep.AckMode}: p50–p95",
            ["x"] = w.DeepClone(), ["y"] = Numbers(runs.Select(r => r.LatencyMs!.P50)),
            ["fill"] = "tonexty", ["fillcolor"] = band,
            ["line"] = new JsonObject { ["width"] = 0, ["color"] = line },
            ["legendgroup"] = sweep.AckMode,
            ["hovertemplate"] = $"{sweep.AckMode} W=%{{x}}: p50 %{{y:.0f}} ms<extra></extra>",
        };
        yield return new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = $"{sweep.AckMode}: mean",
            ["x"] = w.DeepClone(), ["y"] = Numbers(runs.Select(r => r.LatencyMs!.Mean)),
            ["line"] = new JsonObject { ["width"] = 3, ["color"] = line },
            ["marker"] = new JsonObject { ["size"] = 9 },
            ["legendgroup"] = sweep.AckMode,
            ["text"] = Texts(runs.Select(r => r.Failures == 0 ? "no failed writes" : $"{r.Failures} failed writes")),
            ["hovertemplate"] = $"{sweep.AckMode} W=%{{x}}: mean %{{y:.0f}} ms, %{{text}}<extra></extra>",
        };
    }

    private static JsonObject ExpectedTrace(ExperimentConfig config)
    {
        var expected = config.Quorums
            .Select(w => LatencyStatistics.ExpectedMeanMs(w, config.Followers, config.MinDelayMs, config.MaxDelayMs));
        return new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines+markers",
            ["name"] = $"expected: {config.MinDelayMs} + W/{config.Followers + 1}·{config.MaxDelayMs - config.MinDelayMs} ms",
            ["x"] = Numbers(config.Quorums.Select(w => (double)w)), ["y"] = Numbers(expected),
            ["line"] = new JsonObject { ["dash"] = "dash", ["width"] = 2, ["color"] = "#444" },
            ["marker"] = new JsonObject { ["symbol"] = "x", ["size"] = 8 },
            ["hovertemplate"] = "expected W=%{x}: %{y:.0f} ms<extra></extra>",
        };
    }

    private static JsonObject LagTrace(SweepResult sweep)
    {
        var (line, _) = ColourOf(sweep.AckMode);
        return new JsonObject
        {
            ["type"] = "bar", ["name"] = $"{sweep.AckMode}: followers behind at last answer",
            ["xaxis"] = "x2", ["yaxis"] = "y2", ["legendgroup"] = sweep.AckMode, ["showlegend"] = false,
            ["x"] = Numbers(sweep.Runs.Select(r => (double)r.WriteQuorum)),
            ["y"] = Numbers(sweep.Runs.Select(r => (double)r.Consistency.BehindAtLastAck)),
            ["marker"] = new JsonObject { ["color"] = line },
            ["text"] = Texts(sweep.Runs.Select(r => r.Consistency.ConvergenceMs is { } ms
                ? $"{ms.ToString("0", CultureInfo.InvariantCulture)} ms"
                : "never")),
            ["textposition"] = "outside", ["cliponaxis"] = false,
            ["hovertemplate"] = $"{sweep.AckMode} W=%{{x}}: %{{y}} followers behind at the last answer; all equal to the leader after %{{text}}<extra></extra>",
        };
    }

    private static JsonObject Layout(ExperimentConfig config)
    {
        var title = $"kvstore: write latency vs write quorum W — {config.Writes} writes, {config.Concurrency} at a time, " +
            $"N={config.Followers} followers, delay U[{config.MinDelayMs}, {config.MaxDelayMs}] ms ({config.Cluster} cluster)";
        var ticks = Numbers(config.Quorums.Select(w => (double)w));
        return new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title, ["font"] = new JsonObject { ["size"] = 15 } },
            ["height"] = 780,
            ["margin"] = new JsonObject { ["l"] = 70, ["r"] = 30, ["t"] = 60, ["b"] = 60 },
            ["barmode"] = "group",
            // Bottom right of the latency plot: low latency at high W never happens, so no data is hidden.
            ["legend"] = new JsonObject { ["x"] = 0.99, ["xanchor"] = "right", ["y"] = 0.44, ["yanchor"] = "bottom", ["bgcolor"] = "rgba(255,255,255,0.85)" },
            ["xaxis"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = "write quorum W (follower acknowledgements each write waits for)" },
                ["tickvals"] = ticks, ["anchor"] = "y",
            },
            ["yaxis"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = "client-side write latency (ms)" },
                ["domain"] = new JsonArray(0.42, 1.0), ["rangemode"] = "tozero",
            },
            ["xaxis2"] = new JsonObject { ["tickvals"] = ticks.DeepClone(), ["anchor"] = "y2", ["ticklabelstandoff"] = 2 },
            ["yaxis2"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = "followers<br>behind" },
                ["domain"] = new JsonArray(0.0, 0.24),
                ["range"] = new JsonArray(0, config.Followers + 1.5), ["dtick"] = 1,
            },
            ["annotations"] = new JsonArray(new JsonObject
            {
                // A subplot title: Plotly has none of its own for a domain-split axis pair.
                ["text"] = "Right after the last answer: followers not yet equal to the leader (bars); " +
                    "time from the last answer until all five equal it (labels)",
                ["xref"] = "paper", ["yref"] = "paper", ["x"] = 0, ["y"] = 0.29, ["xanchor"] = "left", ["yanchor"] = "bottom",
                ["showarrow"] = false, ["font"] = new JsonObject { ["size"] = 13 },
            }),
        };
    }

    private static (string Line, string Band) ColourOf(string ackMode) =>
        Colours.TryGetValue(ackMode, out var colour) ? colour : FallbackColour;

    private static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonArray Texts(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
