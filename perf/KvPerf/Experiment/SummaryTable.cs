using System.Globalization;
using KvPerf.Report;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Experiment;

/// <summary>
/// The table printed at the end: per ack mode and W, the measured latency next to the expected
/// mean, failures, and what the followers held right after the last answer and after draining.
/// </summary>
public static class SummaryTable
{
    /// <summary>Builds the table for <paramref name="results"/>.</summary>
    public static Table Build(ExperimentResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = CompactTable.Apply(new Table()
            .Title($"write latency (ms) vs write quorum W, {results.Config.Cluster} cluster")
            .Caption("lag: followers not equal to the leader right after the last answer" + LoadNote(results))
            .AddColumns("ack mode", "W", "ok", "fail", "mean", "expect", "p50", "p95", "p99", "max", "lag", "equal after"));

        foreach (var sweep in results.Sweeps)
        {
            foreach (var run in sweep.Runs)
            {
                var latency = run.LatencyMs;
                var consistency = run.Consistency;
                table.AddRow(
                    sweep.AckMode,
                    Number(run.WriteQuorum),
                    Number(run.Successes),
                    run.Failures == 0 ? "0" : $"[red]{run.Failures}[/]",
                    Ms(latency?.Mean),
                    Ms(run.ExpectedMeanMs),
                    Ms(latency?.P50),
                    Ms(latency?.P95),
                    Ms(latency?.P99),
                    Ms(latency?.Max),
                    $"{consistency.BehindAtLastAck}/{consistency.AtLastAck.Count}",
                    consistency.Converged ? $"{Ms(consistency.ConvergenceMs)} ms" : "[red]never[/]");
            }
        }

        return table;
    }

    private static string LoadNote(ExperimentResults results)
    {
        var loads = results.Sweeps.SelectMany(s => s.Runs).Select(r => r.MachineLoad1m).OfType<double>().ToArray();
        return loads.Length == 0
            ? ""
            : $"\nmachine load (1-min average) after the runs: {loads.Min().ToString("0.0", CultureInfo.InvariantCulture)} to {loads.Max().ToString("0.0", CultureInfo.InvariantCulture)} on {results.Config.ProcessorCount} cores";
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double? value) =>
        value is { } ms ? ms.ToString("0", CultureInfo.InvariantCulture) : "–";
}
