using KvPerf.Consistency;
using KvPerf.Results;
using KvPerf.Statistics;

namespace KvPerf.Tests.TestKit;

/// <summary>
/// Experiment results made without a cluster: per ack mode and W, an injected delay per write drawn
/// as the W-th smallest of five uniform 0..1000 ms delays and a latency of that plus overhead
/// (seeded, so reproducible), summarized by the program's real statistics code, and consistency
/// snapshots in which the followers outside the quorum lag. <c>withInjectedDelays: false</c> gives
/// results as measured before the leader named its delays.
/// </summary>
internal static class GeneratedResults
{
    public static ExperimentResults Create(int seed = 3, params string[] ackModes) => Create(seed, withInjectedDelays: true, ackModes);

    public static ExperimentResults Create(int seed, bool withInjectedDelays, params string[] ackModes)
    {
        ackModes = ackModes.Length == 0 ? ["received", "applied"] : ackModes;
        var random = new Random(seed);
        var config = new ExperimentConfig(
            Writes: 100, Concurrency: 10, Keys: 10, Followers: 5, Quorums: [1, 2, 3, 4, 5], AckModes: ackModes,
            MinDelayMs: 0, MaxDelayMs: 1000, Cluster: "local", ConvergenceBoundMs: 30000,
            StartedAtUtc: new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), ProcessorCount: 2);
        var sweeps = ackModes.Select((mode, m) => new SweepResult(mode, config.Quorums.Select(w =>
        {
            // "applied" waits for earlier writes too; model it as extra overhead per mode.
            var overheadMs = 5 + (m * 150);
            var delays = Enumerable.Range(0, 100)
                .Select(_ => (double?)Math.Round(Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 1000).Order().ElementAt(w - 1)))
                .ToArray();
            var latencies = delays.Select(d => d!.Value + overheadMs + (random.NextDouble() * 10)).ToArray();
            var injected = withInjectedDelays ? delays : null;
            return new RunResult(
                WriteQuorum: w,
                LatencyMs: LatencyStatistics.Summarize(latencies),
                ExpectedMeanMs: LatencyStatistics.ExpectedMeanMs(w, 5, 0, 1000),
                BeyondInjectedDelayMs: injected is null ? null : LatencyStatistics.SummarizeBeyondInjectedDelay(latencies.Select(l => (double?)l).ToArray(), injected),
                Successes: 100,
                Failures: w == 5 && m == 1 ? 1 : 0,
                FailuresByReason: w == 5 && m == 1 ? new Dictionary<string, int> { ["HTTP 504"] = 1 } : new Dictionary<string, int>(),
                Consistency: Lagging(w, convergenceMs: 900 - (w * 150)),
                MachineLoad1m: 1.5,
                WriteLatenciesMs: latencies.Select(l => (double?)l).ToArray(),
                InjectedDelaysMs: injected);
        }).ToArray())).ToArray();
        return new ExperimentResults(config, sweeps);
    }

    private static ConsistencyResult Lagging(int w, double convergenceMs)
    {
        var atLastAck = Enumerable.Range(1, 5)
            .Select(n => n <= w
                ? new FollowerConsistency($"follower{n}", true, 100, 0, 0, 0, 0)
                : new FollowerConsistency($"follower{n}", false, 100 - n, n, 0, n, 0))
            .ToArray();
        var drained = atLastAck.Select(f => f with { Equal = true, AppliedSeq = 100, LagSeq = 0, OlderKeys = 0 }).ToArray();
        return new ConsistencyResult(100, atLastAck, true, convergenceMs, drained);
    }
}
