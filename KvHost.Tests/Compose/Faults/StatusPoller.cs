using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace KvHost.Tests.Compose.Faults;

/// <summary>One node's <c>GET /status</c> at one moment (ms on the scenario's clock). Node 0 is the leader.</summary>
public sealed record StatusSample(double AtMs, int Node, long Epoch, long AppliedSeq);

/// <summary>
/// Reads every node's <c>GET /status</c> about every 100 ms for the whole scenario, one loop per node
/// so a paused or unreachable node (whose reads hang until their 1 s timeout) delays only itself.
/// The samples answer two questions: did a follower's <c>appliedSeq</c> ever go backwards within an
/// epoch, and when did the faulted node catch up.
/// </summary>
internal sealed class StatusPoller : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<StatusSample> _samples = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Stopwatch _clock;
    private readonly Task _loops;

    public StatusPoller(Stopwatch clock)
    {
        _clock = clock;
        _loops = Task.WhenAll(Enumerable.Range(0, 6).Select(node => Task.Run(() => PollAsync(node))));
    }

    public IReadOnlyList<StatusSample> Samples => [.. _samples.OrderBy(s => s.AtMs)];

    /// <summary>
    /// Every time a follower reported a lower <c>appliedSeq</c> than in its previous report of the
    /// same epoch (one line per step, not per sample after it). A restarted follower reports epoch
    /// 0 again, which is a different epoch; if it then rejoins the leader's epoch below the seq it
    /// had reached there, that is a step back.
    /// </summary>
    public IReadOnlyList<string> BackwardSteps()
    {
        var steps = new List<string>();
        foreach (var follower in Samples.Where(s => s.Node > 0).GroupBy(s => s.Node))
        {
            var previous = new Dictionary<long, StatusSample>();
            foreach (var sample in follower)
            {
                if (previous.TryGetValue(sample.Epoch, out var seen) && sample.AppliedSeq < seen.AppliedSeq)
                {
                    steps.Add($"follower{sample.Node} epoch {sample.Epoch}: appliedSeq {sample.AppliedSeq} at {sample.AtMs / 1000:F2} s after {seen.AppliedSeq} at {seen.AtMs / 1000:F2} s");
                }

                previous[sample.Epoch] = sample;
            }
        }

        return steps;
    }

    /// <summary>The last sample of <paramref name="node"/> taken at or before <paramref name="atMs"/>, if any.</summary>
    public StatusSample? LastOf(int node, double atMs) =>
        Samples.LastOrDefault(s => s.Node == node && s.AtMs <= atMs);

    /// <summary>The first sample after <paramref name="afterMs"/> in which <paramref name="node"/> is in <paramref name="epoch"/> at <paramref name="seq"/> or beyond.</summary>
    public StatusSample? FirstReaching(int node, long epoch, long seq, double afterMs) =>
        Samples.FirstOrDefault(s => s.Node == node && s.AtMs >= afterMs && s.Epoch == epoch && s.AppliedSeq >= seq);

    /// <summary>Where a node stood last, for failure messages.</summary>
    public string Describe(int node) =>
        LastOf(node, double.MaxValue) is { } s ? $"epoch {s.Epoch}, appliedSeq {s.AppliedSeq} at {s.AtMs / 1000:F2} s" : "never answered /status";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loops;
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task PollAsync(int node)
    {
        var url = new Uri(ComposeClusterFixture.Node(node), "/status");
        while (!_stop.IsCancellationRequested)
        {
            var started = _clock.Elapsed;
            using (var read = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                read.CancelAfter(ReadTimeout);
                try
                {
                    var status = await _http.GetFromJsonAsync<JsonElement>(url, read.Token);
                    _samples.Enqueue(new StatusSample(
                        started.TotalMilliseconds, node,
                        status.GetProperty("epoch").GetInt64(), status.GetProperty("appliedSeq").GetInt64()));
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    // Down, paused, recovering or cut off: no sample, which is itself the record.
                }
            }

            var rest = Every - (_clock.Elapsed - started);
            if (rest > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(rest, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
