using System.Globalization;
using KvPerf.Report;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Experiment;

/// <summary>
/// The table printed at the end: per ack mode and W, failures, the measured latency next to the
/// expected mean and to the time beyond the injected delay, and what the followers held right
/// after the last answer and after draining. Successes and the slowest write are in the JSON
/// only, to keep the table within 80 columns.
/// </summary>
public static class SummaryTable
{
    /// <summary>Builds the table for <paramref name="results"/>.</summary>
    public static Table Build(ExperimentResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var config = results.Config;
        var table = CompactTable.Apply(new Table()
            .Title($"write latency (ms) vs write quorum W, {config.Writes} writes a run, {config.Cluster} cluster")
            .Caption(
                "exp: expected mean, MIN + W/(N+1)·(MAX−MIN)\n" +
                "+: beyond the injected delay (latency − Server-Timing quorum-delay)\n" +
                "lag: followers not equal to the leader right after the last answer\n" +
                "equal: ms from the last answer until all followers equalled the leader" + LoadNote(results))
            .AddColumns("ack mode", "W", "fail", "mean", "exp", "+mean", "+p50", "+p99", "p50", "p95", "p99", "lag", "equal"));

        foreach (var sweep in results.Sweeps)
        {
            foreach (var run in sweep.Runs)
            {
                var latency = run.LatencyMs;
                var beyond = run.BeyondInjectedDelayMs;
                var consistency = run.Consistency;
                table.AddRow(
                    sweep.AckMode,
                    Number(run.WriteQuorum),
                    run.Failures == 0 ? "0" : $"[red]{run.Failures}[/]",
                    Ms(latency?.Mean),
                    Ms(run.ExpectedMeanMs),
                    Ms(beyond?.Mean),
                    Ms(beyond?.P50),
                    Ms(beyond?.P99),
                    Ms(latency?.P50),
                    Ms(latency?.P95),
                    Ms(latency?.P99),
                    $"{consistency.BehindAtLastAck}/{consistency.AtLastAck.Count}",
                    consistency.Converged ? Ms(consistency.ConvergenceMs) : "[red]never[/]");
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
