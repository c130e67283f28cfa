using System.Diagnostics;
using KvPerf.Statistics;

namespace KvPerf.Bench;

/// <summary>
/// Drives one case: every connection is a client that sends its next write as soon as its previous
/// one is answered (a closed loop, so the load adapts to the system and never queues up), first
/// for the warm-up, then for the measurement window. A write counts when its answer arrives
/// inside the window, whenever it was sent; latency is client-side, from sending to the answer.
/// </summary>
public static class ClosedLoopDriver
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs the clients for <paramref name="warmup"/> plus <paramref name="window"/>. When the window
    /// ends, <paramref name="atEndOfWindow"/> (if any) runs while the clients are still writing,
    /// so what it samples (memory) is under load; then the clients finish their last write and stop.
    /// </summary>
    /// <param name="connections">One per client, each used by that client only.</param>
    /// <param name="writes">The writes, shared by all clients.</param>
    /// <param name="warmup">How long to write before measuring (may be zero).</param>
    /// <param name="window">How long to measure.</param>
    /// <param name="atEndOfWindow">Runs once at the end of the window, under load.</param>
    /// <param name="onProgress">Called about every 250 ms with the share of warm-up plus window done, 0..1.</param>
    /// <param name="ct">Cancels the run (Ctrl-C); writes in flight are abandoned.</param>
    public static async Task<DriverResult> RunAsync(
        IReadOnlyList<IBenchConnection> connections,
        BenchWrites writes,
        TimeSpan warmup,
        TimeSpan window,
        Func<CancellationToken, Task>? atEndOfWindow,
        Action<double>? onProgress,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmup, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        if (connections.Count == 0)
        {
            throw new ArgumentException("A case needs at least one client.", nameof(connections));
        }

        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + Ticks(warmup);
        var measureUntil = measureFrom + Ticks(window);
        var stop = new StopSignal();
        var clients = connections
            .Select(connection => Task.Run(() => ClientAsync(connection, writes, measureFrom, measureUntil, stop, ct), ct))
            .ToArray();
        try
        {
            await WaitForWindowEndAsync(clients, started, measureUntil, onProgress, ct);
            if (atEndOfWindow is not null && !clients.Any(c => c.IsFaulted))
            {
                await atEndOfWindow(ct);
            }
        }
        finally
        {
            // Every client stops after its current write; awaiting them all also surfaces a client's
            // unexpected exception instead of leaving it unobserved.
            stop.Raise();
            await Task.WhenAll(clients);
        }

        onProgress?.Invoke(1);
        var latencies = new LatencyHistogram();
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var client in clients.Select(c => c.Result))
        {
            latencies.Add(client.Latencies);
            foreach (var (reason, count) in client.Errors)
            {
                errors[reason] = errors.GetValueOrDefault(reason) + count;
            }
        }

        return new DriverResult(latencies, errors, clients.Sum(c => c.Result.Sent), window);
    }

    private static async Task<ClientTally> ClientAsync(
        IBenchConnection connection, BenchWrites writes, long measureFrom, long measureUntil, StopSignal stop, CancellationToken ct)
    {
        // Each client records into its own histogram and error counts: no lock on the write path.
        var tally = new ClientTally();
        while (!stop.Raised)
        {
            var write = writes.Next();
            var sent = Stopwatch.GetTimestamp();
            var failure = await connection.WriteAsync(write, ct);
            var answered = Stopwatch.GetTimestamp();
            tally.Sent++;
            if (answered < measureFrom || answered >= measureUntil)
            {
                continue;
            }

            if (failure is null)
            {
                tally.Latencies.RecordElapsed(sent, answered);
            }
            else
            {
                tally.Errors[failure] = tally.Errors.GetValueOrDefault(failure) + 1;
            }
        }

        return tally;
    }

    private static async Task WaitForWindowEndAsync(Task[] clients, long started, long measureUntil, Action<double>? onProgress, CancellationToken ct)
    {
        var total = (double)(measureUntil - started);
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            onProgress?.Invoke(Math.Min(1, (now - started) / total));
            if (now >= measureUntil || clients.Any(c => c.IsCompleted))
            {
                // A client only ends early by failing: stop the others and let the finally surface it.
                return;
            }

            var remaining = Stopwatch.GetElapsedTime(now, measureUntil);
            await Task.Delay(remaining < ProgressInterval ? remaining : ProgressInterval, ct);
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class ClientTally
    {
        public LatencyHistogram Latencies { get; } = new();

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public long Sent { get; set; }
    }

    // Set once by the driver, read by every client between writes.
    private sealed class StopSignal
    {
        private volatile bool _raised;

        public bool Raised => _raised;

        public void Raise() => _raised = true;
    }
}
