using KvPerf.Bench;
using KvPerf.Cli;
using KvPerf.Results;
using KvPerf.Statistics;

namespace KvPerf.Tests.TestKit;

/// <summary>
/// Benchmark results made without running anything: per system, W and clients, latencies
/// recorded into the program's real histogram and summarized by it. Redis is 10 times as fast as
/// kvstore local in memory, 20 times as fast as local with everysec, 50 times as fast as local
/// with always and 100 times as fast as compose; so everysec has 0.5 of memory's writes/s, always 0.2.
/// By default every known target, as a default run measures them.
/// </summary>
internal static class GeneratedBenchResults
{
    public static BenchResults Create(params string[] targets)
    {
        targets = targets.Length == 0 ? [.. BenchSettings.KnownTargets] : targets;
        var config = new BenchConfig(
            WarmupSeconds: 5, DurationSeconds: 10, Targets: targets, Quorums: [1, 5], Clients: [1, 10, 64], Keys: 100,
            ValueExample: new BenchWrites(100).For(0).ValueJson, Replicas: 5, AckMode: "received", MinDelayMs: 0, MaxDelayMs: 0, IdleSeconds: 10);
        var machine = new BenchMachine(
            2, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), "0123456789abcdef0123456789abcdef01234567", false,
            "Debian GNU/Linux 12 (bookworm)", ".NET 10.0.0", "Redis server v=7.0.15", 0.5);
        var cases = targets.SelectMany(target => config.Quorums.SelectMany(w => config.Clients.Select(clients =>
        {
            var system = BenchSystems.Of(target);
            var slowdown = target switch { "redis" => 1, "local" => 10, "local-everysec" => 20, "local-always" => 50, _ => 100 };
            var histogram = new LatencyHistogram();
            var latencyUs = 100L * slowdown * (1 + (clients / 10));
            for (var i = 0; i < 1000; i++)
            {
                histogram.RecordMicroseconds(latencyUs + i);
            }

            var writesPerSecond = 10_000.0 * clients / slowdown / (1 + (clients / 10));
            var errors = target == "compose" && clients == 64 ? 3 : 0;
            return new BenchCase(
                system, w, clients,
                histogram.Summarize(TimeSpan.FromSeconds(1000 / writesPerSecond), errors),
                errors == 0 ? new Dictionary<string, long>() : new Dictionary<string, long> { ["HTTP 504"] = errors },
                RatioToRedis: null,
                RssMb: 600,
                NodesRssMb: Enumerable.Range(0, 6).ToDictionary(n => n == 0 ? "leader" : $"follower{n}", _ => (double?)100),
                MachineLoad1m: 1.5);
        }))).ToArray();
        var footprints = targets
            .Select(t => new SystemFootprint(BenchSystems.Of(t), "W=5, 64 clients", t == "redis" ? 60 : 720, t == "compose" ? 25 : 1.5, 10, t == "compose" ? "cgroup" : "process"))
            .ToArray();
        return new BenchResults(machine, config, BenchResults.WithRatios(cases), footprints);
    }
}
