using System.Globalization;
using KvPerf.Report;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Restart;

/// <summary>
/// What <c>restart</c> prints, built from <see cref="RestartResults"/> only: the milestones per data
/// size, where the time went by the nodes' own log lines, and whether the healthy bound held.
/// </summary>
public static class RestartTable
{
    /// <summary>One row per data size: keys, file size, and the seconds to each milestone.</summary>
    public static Table Cases(RestartResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = Create(
            $"s from each process's start; followers: slowest of {results.Config.Followers}; >{results.Config.TimeoutSeconds}: not reached",
            "keys", "db MB", "followers\nhealthy", "leader\nready", "leader 1st\nwrite (W=" + Text(results.Config.WriteQuorum) + ")", "restarted\nhealthy", "restarted\ncaught up");
        foreach (var c in results.Cases)
        {
            table.AddRow(
                Keys(c),
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
    /// Where the time went, per data size, by the nodes' own log lines: how long each took to read
    /// its file (as it logged, in s) and when it printed that, and when the leader's recovery chose a
    /// state (s from its process's start; the leader is ready milliseconds later, see
    /// <see cref="NodeStartup.ReadyLineS"/>). Followers' figures are their range.
    /// </summary>
    public static Table Breakdown(RestartResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = Create(
            "read: loading the file, as logged; at: since the process started (s)",
            "keys", "leader\nread", "leader\nread at", "recovery\nchose at", "followers\nread", "followers\nread at", "restarted\nread");
        foreach (var c in results.Cases)
        {
            var leader = c.Nodes.First(n => n.Role == "leader");
            var followers = c.Nodes.Where(n => n.Role == "follower").ToArray();
            table.AddRow(
                Keys(c),
                Range([leader.StorageLoadedMs / 1000.0]),
                Range([leader.StorageLineS]),
                Range([leader.RecoveredLineS]),
                Range(followers.Select(f => f.StorageLoadedMs / 1000.0)),
                Range(followers.Select(f => f.StorageLineS)),
                c.FollowerRestart is { } r ? Range([r.StorageLoadedMs / 1000.0]) : "–");
        }

        return CompactTable.Apply(table);
    }

    /// <summary>
    /// Whether every node was healthy within <see cref="RestartConfig.HealthyGoalSeconds"/> of its
    /// start at the largest size, the six started together and the follower restarted alone.
    /// </summary>
    /// <returns>Two lines; none when nothing was measured.</returns>
    public static IReadOnlyList<string> Verdict(RestartResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Cases.MaxBy(c => c.Keys) is not { } largest)
        {
            return [];
        }

        var goal = results.Config.HealthyGoalSeconds;
        var met = new[] { largest.SlowestHealthyS, largest.FollowerRestart?.HealthyS }.All(s => s <= goal);
        return
        [
            $"goal, every node healthy within {Text(goal)} s of its start, at {Keys(largest)} keys: {(met ? "met" : "MISSED")}",
            $"  slowest of the six {Seconds(largest.SlowestHealthyS, results)} s, the follower restarted alone {Seconds(largest.FollowerRestart?.HealthyS, results)} s",
        ];
    }

    private static Table Create(string caption, params string[] headers)
    {
        var table = new Table().Caption(Markup.Escape(caption));
        foreach (var header in headers)
        {
            table.AddColumn(Markup.Escape(header));
        }

        return table;
    }

    private static string Keys(RestartCase c) => c.Keys.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double? seconds, RestartResults results) =>
        seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : $"> {Text(results.Config.TimeoutSeconds)}";

    private static string Range(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToArray();
        if (known.Length == 0)
        {
            return "–";
        }

        var (low, high) = (known.Min().ToString("0.00", CultureInfo.InvariantCulture), known.Max().ToString("0.00", CultureInfo.InvariantCulture));
        return low == high ? low : $"{low}–{high}";
    }
}
