using System.Globalization;
using KvPerf.Experiment;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Experiment;

public sealed class SummaryTableSpecs
{
    [Fact]
    public void Table_shows_the_time_beyond_the_injected_delay_beside_the_means_within_80_columns()
    {
        var results = GeneratedResults.Create();
        var run = results.Sweeps[1].Runs[2];

        var lines = PlainConsole.Render(SummaryTable.Build(results)).Split('\n');

        var header = lines.Single(l => l.Contains("ack mode", StringComparison.Ordinal));
        header.Should().MatchRegex(@"mean\s+exp\s+\+mean\s+\+p50\s+\+p99\s+p50\s+p95\s+p99");
        var row = lines.Single(l => l.TrimStart().StartsWith("applied", StringComparison.Ordinal) && Cells(l)[1] == "3");
        Cells(row)[3..8].Should().Equal(
            Ms(run.LatencyMs!.Mean), Ms(run.ExpectedMeanMs),
            Ms(run.BeyondInjectedDelayMs!.Mean), Ms(run.BeyondInjectedDelayMs.P50), Ms(run.BeyondInjectedDelayMs.P99));
        lines.Should().OnlyContain(l => l.TrimEnd().Length <= 80);
    }

    [Fact]
    public void Table_of_results_without_injected_delays_shows_a_dash_not_zero()
    {
        var lines = PlainConsole.Render(SummaryTable.Build(GeneratedResults.Create(seed: 3, withInjectedDelays: false))).Split('\n');

        var row = lines.First(l => l.TrimStart().StartsWith("received", StringComparison.Ordinal));
        Cells(row)[5..8].Should().Equal("–", "–", "–");
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture);
}
