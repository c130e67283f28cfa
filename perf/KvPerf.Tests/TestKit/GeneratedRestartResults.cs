using KvPerf.Cli;
using KvPerf.Restart;
using KvPerf.Results;

namespace KvPerf.Tests.TestKit;

/// <summary>
/// Restart results made without starting anything: three sizes whose times grow with the keys;
/// at the largest the leader is slower than <paramref name="largestLeaderHealthyS"/> says.
/// </summary>
internal static class GeneratedRestartResults
{
    public static RestartResults Create(double? largestLeaderHealthyS = 6.5, bool restartReached = true)
    {
        var settings = new RestartSettings([0, 100_000, 1_000_000], "results/restart.json", null, false, null, 9300, 1_000, 120);
        var machine = new RestartMachine(
            2, new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), "0123456789abcdef0123456789abcdef01234567", false,
            "Debian GNU/Linux 12 (bookworm)", ".NET 10.0.0", 1.2);
        RestartCase Case(int keys, double scale, double? leaderHealthy) => new(
            keys,
            DbFileMb: Math.Round(keys * 0.00017, 1),
            GenerateSeconds: keys / 200_000.0,
            Nodes:
            [
                Node("leader", "leader", leaderHealthy, 0.5 + scale, recovered: 1 + scale),
                .. Enumerable.Range(1, 5).Select(n => Node($"follower{n}", "follower", 0.6 + scale + (n / 10.0), 0.4 + scale, recovered: null)),
            ],
            LeaderReadyS: leaderHealthy + 0.05,
            LeaderFirstWriteS: leaderHealthy + 0.3,
            FollowerRestart: new FollowerRestart(
                "follower1", restartReached ? 0.7 + scale : null, restartReached ? 0.75 + scale : null, keys + 1, 2 + scale, 80 + scale, (long)(scale * 900), 0.3 + scale,
                "/tmp/logs/follower1-restarted.log"));
        return new RestartResults(machine, RestartApp.ConfigOf(settings), [Case(0, 0, 1.8), Case(100_000, 0.4, 2.4), Case(1_000_000, 4, largestLeaderHealthyS)]);
    }

    private static NodeStartup Node(string name, string role, double? healthy, double storageLine, double? recovered) => new(
        name, role, healthy, RssMb: 90, StorageLoadedMs: (long)(storageLine * 800), StorageLineS: storageLine,
        RecoveredLineS: recovered, ReadyLineS: recovered + 0.1, Log: $"/tmp/logs/{name}.log");
}
