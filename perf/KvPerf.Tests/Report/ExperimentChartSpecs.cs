using System.Globalization;
using KvPerf.Report;
using KvPerf.Tests.TestKit;
using Extensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace KvPerf.Tests.Report;

/// <summary>The experiment's chart as Plotly.NET builds it, without a browser.</summary>
public sealed class ExperimentChartSpecs
{
    [Fact]
    public void Page_inlines_plotly_js_and_opens_offline()
    {
        var html = ExperimentChart.ToHtml(GeneratedResults.Create());

        html.Should().Contain("plotly.js v2.", "Plotly.NET's own copy of plotly.js is inlined");
        html.Should().NotContain("<script src=", "the page must open offline");
        html.Should().Contain("<title>kvstore quorum experiment (local cluster, 2026-11-21 12:00 UTC)</title>");
    }

    [Fact]
    public void Chart_draws_latency_beyond_the_injected_delay_and_lag_per_ack_mode()
    {
        var results = GeneratedResults.Create();

        var chart = ExperimentChart.Build(results);
        var html = ExperimentChart.ToHtml(results);

        Extensions.GetTraces(chart).Should().HaveCount(15, "per ack mode 3 latency, 3 beyond-the-delay and 1 lag trace, and the expected curve");
        html.Should().Contain("\"name\":\"received: latency, mean\"").And.Contain("\"name\":\"applied: latency, p50–p95\"");
        html.Should().Contain("\"name\":\"received: beyond the injected delay, mean\"").And.Contain("\"name\":\"applied: beyond the injected delay, p50–p99\"");
        html.Should().Contain("\"name\":\"expected: 0 + W/6·1000 ms\"");
        html.Should().Contain("\"fill\":\"tonexty\"");
        html.Should().Contain("Time beyond the injected delay").And.Contain("followers not yet equal to the leader");
    }

    [Fact]
    public void Chart_carries_the_measured_figures()
    {
        var results = GeneratedResults.Create();
        var run = results.Sweeps[1].Runs[2];

        var html = ExperimentChart.ToHtml(results);

        html.Should().Contain(Number(run.LatencyMs!.Mean)).And.Contain(Number(run.LatencyMs.P95));
        html.Should().Contain(Number(run.BeyondInjectedDelayMs!.Mean)).And.Contain(Number(run.BeyondInjectedDelayMs.P99));
        html.Should().Contain("\"600 ms\"", "the lag bar of W = 2 is labelled with the time until all followers equalled the leader");
    }

    [Fact]
    public void Chart_of_results_without_injected_delays_has_no_beyond_the_delay_row()
    {
        var results = GeneratedResults.Create(seed: 3, withInjectedDelays: false);

        var chart = ExperimentChart.Build(results);

        Extensions.GetTraces(chart).Should().HaveCount(9);
        ExperimentChart.ToHtml(results).Should().NotContain("beyond the injected delay");
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
