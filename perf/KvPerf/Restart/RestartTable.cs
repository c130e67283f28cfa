using System.Globalization;
using KvPerf.Report;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Restart;

/// <summary>
/// What <c>restart</c> prints: one row per data size, then per size a line of where the time went
/// by the nodes' own logs, and whether the healthy bound held. Built from <see cref="RestartResults"/> only.
/// </summary>
public static class RestartTable
{
    /// <summary>The cases as a table: keys, file size, and the seconds of each milestone.</summary>
    public static Table Cases(RestartResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = new Table()
            .Caption($"seconds from each process's start; followers: the slowest of {results.Config.Followers}; " +
                     $"first write: acknowledged by W={results.Config.WriteQuorum}; > {results.Config.TimeoutSeconds}: not reached");
        foreach (var header in new[] { "keys", "db MB", "followers healthy", "leader ready", "first write", "restarted healthy", "caught up" })
        {
            table.AddColumn(header);
        }

        foreach (var c in results.Cases)
        {
            table.AddRow(
                c.Keys.ToString("#,0", CultureInfo.InvariantCulture),
                c.DbFileMb.ToString("0.0", CultureInfo.InvariantCulture),
                Seconds(c.SlowestFollowerHealthyS, results),
                Seconds(c.LeaderReadyS, results),
                Seconds(c.LeaderFirstWriteS, results),
                c.FollowerRestart is { } r ? Seconds(r.HealthyS, results) : "–",
                c.FollowerRestart is { } caught ? Seconds(caught.CaughtUpS, results) : "–");
        }

        return CompactTable.Apply(table);
    }

    /// <summary>
    /// Per size, where the time went by the nodes' own log lines (the seconds since each process's
    /// start at which it printed them), and a last line on the healthy bound for the largest size.
    /// </summary>
    public static IReadOnlyList<string> Breakdown(RestartResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var lines = results.Cases.Select(Explain).ToList();
        if (results.Cases.MaxBy(c => c.Keys) is { } largest)
        {
            var slowest = new[] { largest.SlowestHealthyS, largest.FollowerRestart?.HealthyS };
            var verdict = slowest.Any(s => s is null || s > results.Config.HealthyGoalSeconds) ? "MISSED" : "met";
            var restarted = Seconds(largest.FollowerRestart?.HealthyS, results);
            lines.Add(Invariant(
                $"goal, every node healthy within {results.Config.HealthyGoalSeconds} s of its start, at {largest.Keys:#,0} keys: {verdict} (slowest of the six {Seconds(largest.SlowestHealthyS, results)} s, the follower restarted alone {restarted} s)"));
        }

        return lines;
    }

    private static string Explain(RestartCase c)
    {
        var leader = c.Nodes.First(n => n.Role == "leader");
        var followers = c.Nodes.Where(n => n.Role == "follower").ToArray();
        var fileRead = Range(followers.Select(f => (double?)f.StorageLoadedMs), "#,0", "", " ms");
        var logged = Range(followers.Select(f => f.StorageLineS), "0.00", "+", " s");
        var text = Invariant(
            $"{c.Keys:#,0} keys: leader read its file in {Ms(leader.StorageLoadedMs)} (logged at {At(leader.StorageLineS)}), recovery chose at {At(leader.RecoveredLineS)}, ready at {At(leader.ReadyLineS)}; followers read theirs in {fileRead} (logged at {logged})");
        if (c.FollowerRestart is { } r)
        {
            text += Invariant($"; {r.Node} alone read it in {Ms(r.StorageLoadedMs)} (logged at {At(r.StorageLineS)}), in a write again at {At(r.WriteAcceptedS)}");
        }

        return text;
    }

    private static string Seconds(double? seconds, RestartResults results) =>
        seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : $"> {results.Config.TimeoutSeconds}";

    private static string Ms(long? ms) => ms is { } m ? Invariant($"{m:#,0} ms") : "? ms";

    private static string At(double? seconds) => seconds is { } s ? Invariant($"+{s:0.00} s") : "(not logged)";

    private static string Range(IEnumerable<double?> values, string format, string prefix, string unit)
    {
        var known = values.OfType<double>().ToArray();
        if (known.Length == 0)
        {
            return "(not logged)";
        }

        var (low, high) = (known.Min().ToString(format, CultureInfo.InvariantCulture), known.Max().ToString(format, CultureInfo.InvariantCulture));
        return prefix + (low == high ? low : $"{low}–{high}") + unit;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
