using System.Globalization;
using KvPerf.Report;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Bench;

/// <summary>
/// The tables printed at the end: every case grouped by W and clients, so each kvstore row sits
/// next to the Redis row its ratio divides by, and each durable local row next to the in-memory
/// one; then each system's memory and idle CPU.
/// </summary>
public static class BenchTable
{
    /// <summary>
    /// The cases' table: writes/s, p50, p99 (ms), errors and the ratio to Redis; when a durable
    /// local system was measured, also its ratio to the in-memory local cluster ("vs memory").
    /// </summary>
    public static Table Cases(BenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var machine = results.Machine;

        // Only a run with a durable local system has anything to show in that column.
        var vsMemory = results.Cases.Any(c => BenchSystems.InMemoryCounterpartOf(c.System) is not null);
        var table = CompactTable.Apply(new Table()
            .Title($"kvstore vs Redis: closed-loop writes, {results.Config.DurationSeconds} s after {WarmupOf(results.Config)}")
            .Caption(
                $"{machine.ProcessorCount} cores, {machine.StartedAtUtc:yyyy-MM-dd HH:mm} UTC, commit {Short(machine.GitCommit)}{(machine.GitDirty == true ? " (dirty)" : "")}; " +
                "latency of successful writes only; vs Redis = writes/s ÷ Redis's at the same W and clients" +
                (vsMemory ? $"; vs memory = writes/s ÷ {BenchSystems.LocalMemory}'s at the same W and clients" : ""))
            .AddColumns(["system", "W", "clients", "writes/s", "p50 ms", "p99 ms", "errors", "vs Redis", .. vsMemory ? new[] { "vs memory" } : []]));

        // The names that say where kvstore keeps its data are long: where the table is narrower
        // than a line (80 columns when the output is redirected), the name wraps rather than
        // Spectre dropping a column of figures.
        table.Columns[0].NoWrap = false;

        var order = results.Config.Targets.Select(BenchSystems.Of).ToList();
        foreach (var c in results.Cases
            .OrderBy(c => c.WriteQuorum)
            .ThenBy(c => c.Clients)
            .ThenBy(c => order.IndexOf(c.System)))
        {
            var m = c.Measured;
            string[] cells =
            [
                c.System,
                Number(c.WriteQuorum),
                Number(c.Clients),
                Format(m.WritesPerSecond, "#,0"),
                Format(m.P50Ms, "0.00"),
                Format(m.P99Ms, "0.00"),
                m.Errors == 0 ? "0" : $"[red]{m.Errors}[/]",
                c.System == BenchResults.Yardstick ? "" : Ratio(c.RatioToRedis),
            ];
            table.AddRow(vsMemory
                ? [.. cells, BenchSystems.InMemoryCounterpartOf(c.System) is null ? "" : Ratio(c.RatioToMemory)]
                : cells);
        }

        return table;
    }

    /// <summary>The footprints' table: memory under load and idle CPU per system.</summary>
    public static Table Footprints(BenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = CompactTable.Apply(new Table()
            .Title("the six nodes' footprint")
            .Caption("RSS: summed over the six nodes at the end of the named case, under load; " +
                $"idle CPU: {results.Config.IdleSeconds} s without load{(results.Config.IdleAfterSeconds > 0 ? $", from {results.Config.IdleAfterSeconds} s after it" : "")}, % of one core " +
                "(cgroup: containers, healthchecks included; process: /proc/PID/stat)")
            .AddColumns("system", "RSS MB", "sampled at", "idle CPU", "source"));
        foreach (var f in results.Footprints)
        {
            table.AddRow(
                f.System, Format(f.RssMb, "0"), f.RssCase ?? "–", $"{Format(f.IdleCpuPercentOfOneCore, "0.0")} %", f.CpuSource);
        }

        return table;
    }

    /// <summary>A ratio as printed: <c>0.16×</c>, or <c>–</c> when there is none.</summary>
    public static string Ratio(double? ratio) => ratio is { } r ? $"{Format(r, r < 0.1 ? "0.000" : "0.00")}×" : "–";

    // A fresh cluster's first case warms longer (its JIT), as results since FirstWarmupSeconds record.
    private static string WarmupOf(BenchConfig config) =>
        config.FirstWarmupSeconds > config.WarmupSeconds
            ? $"{config.WarmupSeconds} s warm-up ({config.FirstWarmupSeconds} s for a fresh cluster's first case)"
            : $"{config.WarmupSeconds} s warm-up";

    private static string Short(string? commit) => commit is null ? "unknown" : commit[..Math.Min(12, commit.Length)];

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}
