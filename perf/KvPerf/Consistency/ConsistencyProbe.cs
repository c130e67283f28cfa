using System.Diagnostics;
using KvPerf.Client;

namespace KvPerf.Consistency;

/// <summary>
/// Reads the leader and every follower with <c>GET /kv</c> at (nearly) the same moment and
/// compares them, then keeps polling until all followers equal the leader or a bound passes.
/// </summary>
public sealed class ConsistencyProbe
{
    /// <summary>
    /// Between polls, in ms: short next to the up-to-1000 ms replication delays, long enough not to
    /// load a 2-core machine that also runs six nodes.
    /// </summary>
    public const int PollIntervalMs = 20;

    private readonly KvClient _leader;
    private readonly IReadOnlyList<KvClient> _followers;

    /// <summary>Creates a probe over the leader and its followers.</summary>
    public ConsistencyProbe(KvClient leader, IReadOnlyList<KvClient> followers)
    {
        _leader = leader;
        _followers = followers;
    }

    /// <summary>
    /// Reads all six nodes concurrently, so that the follower snapshots are all taken within a
    /// few ms of the leader's, and compares each follower with the leader.
    /// </summary>
    public async Task<(KvSnapshot Leader, IReadOnlyList<FollowerConsistency> Followers)> SnapshotAsync(CancellationToken ct)
    {
        var leaderRead = _leader.GetAllAsync(ct);
        var followerReads = _followers.Select(f => TryReadAsync(f, ct)).ToArray();
        var leader = await leaderRead;
        var followers = await Task.WhenAll(followerReads);
        var compared = followers
            .Select((read, i) => read.Snapshot is null
                ? FollowerConsistency.Unreadable(_followers[i].BaseUri.ToString(), read.Error!)
                : ConsistencyComparer.Compare(leader, read.Snapshot))
            .ToArray();
        return (leader, compared);
    }

    /// <summary>
    /// Takes the snapshot "right after the last answer", then polls until every follower equals
    /// the leader, for at most <paramref name="bound"/>. <paramref name="lastAckTimestamp"/> is the
    /// <see cref="Stopwatch"/> timestamp of the last answer; convergence time counts from it.
    /// </summary>
    public async Task<ConsistencyResult> MeasureAsync(long lastAckTimestamp, TimeSpan bound, CancellationToken ct)
    {
        var (leader, atLastAck) = await SnapshotAsync(ct);
        var latest = atLastAck;
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(lastAckTimestamp);
            if (latest.All(f => f.Equal))
            {
                return new ConsistencyResult(leader.AppliedSeq, atLastAck, true, Math.Round(elapsed.TotalMilliseconds, 1), latest);
            }

            if (elapsed > bound)
            {
                return new ConsistencyResult(leader.AppliedSeq, atLastAck, false, null, latest);
            }

            await Task.Delay(PollIntervalMs, ct);
            (_, latest) = await SnapshotAsync(ct);
        }
    }

    private static async Task<(KvSnapshot? Snapshot, string? Error)> TryReadAsync(KvClient node, CancellationToken ct)
    {
        try
        {
            return (await node.GetAllAsync(ct), null);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.StatusCode is { } status ? $"HTTP {(int)status}" : $"transport: {ex.HttpRequestError}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, "client timeout");
        }
    }
}
