using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using KvPerf.Client;

namespace KvPerf.Load;

/// <summary>
/// Sends a fixed number of writes to the leader with a fixed number in flight (a closed loop: a
/// writer sends its next write when its last one is answered), spread round-robin over keys
/// <c>k0</c>..<c>k{keys-1}</c>, and times each one.
/// </summary>
public sealed class WriteLoad
{
    private readonly KvClient _leader;

    /// <summary>Creates a load against <paramref name="leader"/>.</summary>
    public WriteLoad(KvClient leader)
    {
        _leader = leader;
    }

    /// <summary>
    /// Runs <paramref name="writes"/> writes, <paramref name="concurrency"/> at a time. Write i goes
    /// to key <c>k{i mod keys}</c> with value <c>{"write": i}</c>, so with 10 writers and 10 keys
    /// the writes in flight touch different keys. Each successful write's injected delay (the
    /// leader's <c>Server-Timing</c>) is kept beside its latency. <paramref name="onAnswered"/> is called once per
    /// answered write (from any thread) to drive a progress bar.
    /// </summary>
    public async Task<WriteLoadResult> RunAsync(int writes, int concurrency, int keys, Action onAnswered, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(writes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(concurrency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keys);
        ArgumentNullException.ThrowIfNull(onAnswered);

        var latencies = new ConcurrentQueue<double>();
        var byWrite = new double?[writes];
        var injectedByWrite = new double?[writes];
        var failures = new ConcurrentDictionary<string, int>();
        var quorums = new ConcurrentDictionary<int, byte>();

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, writes), parallel, async (i, token) =>
        {
            var value = JsonSerializer.SerializeToElement(new { write = i });
            var outcome = await _leader.PutAsync($"k{i % keys}", value, token);
            if (outcome.Answer is { } answer)
            {
                latencies.Enqueue(outcome.LatencyMs);
                byWrite[i] = Math.Round(outcome.LatencyMs, 2);
                injectedByWrite[i] = outcome.QuorumDelayMs;
                quorums.TryAdd(answer.WriteQuorum, 0);
            }
            else
            {
                failures.AddOrUpdate(outcome.Failure ?? "unknown", 1, (_, n) => n + 1);
            }

            onAnswered();
        });

        // Parallel.ForEachAsync returns as soon as the last write is answered, so "now" is the
        // moment of the last answer, give or take a continuation's scheduling.
        var lastAnswer = Stopwatch.GetTimestamp();
        return new WriteLoadResult(
            latencies.ToArray(),
            byWrite,
            injectedByWrite,
            new SortedDictionary<string, int>(failures, StringComparer.Ordinal),
            quorums.Keys.ToHashSet(),
            lastAnswer);
    }
}
