using System.Text.Json;
using KvPerf.Client;

namespace KvPerf.Restart;

/// <summary>
/// Polls a starting node every <see cref="PollInterval"/> until it reaches a milestone (healthy, a
/// given applied seq, a write acknowledged by all W followers) and returns the seconds since its
/// process started, or <see langword="null"/> when the bound passed first.
/// </summary>
/// <remarks>A node that exits while awaited stops the run: a crash at start is a failure, not a figure.</remarks>
public sealed class StartupProbe : IDisposable
{
    /// <summary>How often a node is asked, in ms: the figures' resolution.</summary>
    public const int PollIntervalMs = 50;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(PollIntervalMs);

    // Health and status answer at once or the node is "not yet"; a write may wait the leader's
    // replication timeout (5 s) for a follower that is not back, so it gets longer.
    private readonly HttpClient _reads = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly HttpClient _writes = new() { Timeout = TimeSpan.FromSeconds(15) };
    private readonly TimeSpan _bound;

    /// <summary>Creates a probe whose waits each end after <paramref name="bound"/>.</summary>
    public StartupProbe(TimeSpan bound)
    {
        _bound = bound;
    }

    /// <summary>Seconds from <paramref name="node"/>'s start to its first 200 on <c>GET /health</c>.</summary>
    public Task<double?> UntilHealthyAsync(RunningNode node, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        var client = new KvClient(_reads, node.Spec.BaseUri);
        return UntilAsync(node, client.IsHealthyAsync, ct);
    }

    /// <summary>Seconds from <paramref name="node"/>'s start until its <c>GET /status</c> shows <c>appliedSeq</c> at least <paramref name="seq"/>.</summary>
    public Task<double?> UntilAppliedAsync(RunningNode node, long seq, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        var client = new KvClient(_reads, node.Spec.BaseUri);
        return UntilAsync(node, async token => await AppliedSeqAsync(client, token) >= seq, ct);
    }

    /// <summary>
    /// Seconds from <paramref name="timedFrom"/>'s start until a <c>PUT</c> of <paramref name="key"/>
    /// to <paramref name="leader"/> is answered 200 with all <paramref name="writeQuorum"/>
    /// acknowledgements; a refused or timed-out write is sent again.
    /// </summary>
    /// <param name="leader">The leader the write goes to.</param>
    /// <param name="timedFrom">The node whose start the figure counts from: the leader, or a follower restarted alone.</param>
    /// <param name="key">The key written.</param>
    /// <param name="writeQuorum">W, the acknowledgements the answer must count.</param>
    /// <param name="ct">Cancels the wait.</param>
    public Task<double?> UntilWrittenAsync(NodeSpec leader, RunningNode timedFrom, string key, int writeQuorum, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(leader);
        var client = new KvClient(_writes, leader.BaseUri);
        var value = JsonSerializer.SerializeToElement(new { probe = key });
        return UntilAsync(timedFrom, async token =>
        {
            var outcome = await client.PutAsync(key, value, token);
            return outcome.Answer is { } answer && answer.Acks >= writeQuorum;
        }, ct);
    }

    /// <summary>The node's applied seq now, or <see langword="null"/> if it does not answer.</summary>
    public async Task<long?> AppliedSeqAsync(NodeSpec node, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        return await AppliedSeqAsync(new KvClient(_reads, node.BaseUri), ct);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _reads.Dispose();
        _writes.Dispose();
    }

    private static async Task<long?> AppliedSeqAsync(KvClient client, CancellationToken ct)
    {
        try
        {
            return (await client.GetStatusAsync(ct)).AppliedSeq;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException
                                       || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // Not listening yet, a 503 while the leader recovers, or a client timeout: not yet.
            return null;
        }
    }

    private async Task<double?> UntilAsync(RunningNode node, Func<CancellationToken, Task<bool>> reached, CancellationToken ct)
    {
        var deadline = node.ElapsedSeconds + _bound.TotalSeconds;
        while (node.ElapsedSeconds < deadline)
        {
            if (await reached(ct))
            {
                return Math.Round(node.ElapsedSeconds, 3);
            }

            if (node.HasExited)
            {
                throw new InvalidOperationException($"{node.Spec.Name} exited with code {node.ExitCode} while starting; see {node.LogPath}.");
            }

            await Task.Delay(PollInterval, ct);
        }

        return null;
    }
}
