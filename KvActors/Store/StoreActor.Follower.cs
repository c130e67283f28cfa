using KvActors.Replication.Follower;
using Microsoft.Extensions.Logging;

namespace KvActors.Store;

/// <summary>
/// The follower's half of the store: applying the leader's entries strictly in <c>seq</c> order.
/// </summary>
/// <remarks>
/// Invariants, within one epoch: an entry is applied exactly once, only right after the entry
/// before it, so the follower's state is always the leader's state at some earlier <c>seq</c>.
/// Early entries wait in <see cref="_heldBack"/>; duplicates (a leader's retry) are acknowledged
/// again and applied no second time. Without this ordering, two writes to one key delivered in
/// the opposite order would leave the replicas different forever.
/// </remarks>
public sealed partial class StoreActor
{
    /// <summary>
    /// How far past the applied <c>seq</c> an entry may be held back (entries). A leader with
    /// 10 writes in flight is a few entries ahead; this bounds memory against a runaway sender.
    /// </summary>
    public const long MaxHoldBack = 100_000;

    private readonly SortedDictionary<long, LogEntry> _heldBack = [];

    // In applied mode, replies wait here until their entry (and all before it) is applied.
    private readonly SortedDictionary<long, List<TaskCompletionSource<ReplicateOutcome>>> _awaitingApply = [];

    /// <summary>How many entries arrived early and wait for an earlier one (for <c>/status</c>).</summary>
    /// <remarks>Read from request threads; a count is a racy but harmless read for monitoring.</remarks>
    public int HeldBackCount => Volatile.Read(ref _heldBackCount);

    private int _heldBackCount;

    private void HandleReplicated(StoreMessages.ApplyReplicated message)
    {
        var (entry, reply) = (message.Entry, message.Reply);
        if (_log is not null)
        {
            reply.TrySetResult(new ReplicateOutcome.NotAFollower());
            return;
        }

        var snapshot = _snapshot;
        if (entry.Epoch < snapshot.Epoch)
        {
            reply.TrySetResult(new ReplicateOutcome.StaleEpoch(snapshot.Epoch));
            return;
        }

        if (entry.Epoch > snapshot.Epoch)
        {
            StartEpoch(entry.Epoch);
            snapshot = _snapshot;
        }

        if (entry.Seq <= snapshot.AppliedSeq)
        {
            reply.TrySetResult(new ReplicateOutcome.Acknowledged(entry.Seq, snapshot.AppliedSeq));
            return;
        }

        if (entry.Seq - snapshot.AppliedSeq > MaxHoldBack)
        {
            reply.TrySetResult(new ReplicateOutcome.TooFarAhead(snapshot.AppliedSeq, MaxHoldBack));
            return;
        }

        _heldBack.TryAdd(entry.Seq, entry);
        if (_ackMode == AckMode.Applied)
        {
            AwaitApply(entry.Seq, reply);
        }

        ApplyContiguous();
        if (_ackMode == AckMode.Received)
        {
            reply.TrySetResult(new ReplicateOutcome.Acknowledged(entry.Seq, _snapshot.AppliedSeq));
        }
    }

    private void AwaitApply(long seq, TaskCompletionSource<ReplicateOutcome> reply)
    {
        if (!_awaitingApply.TryGetValue(seq, out var waiting))
        {
            _awaitingApply[seq] = waiting = [];
        }

        waiting.Add(reply);
    }

    private void ApplyContiguous()
    {
        var snapshot = _snapshot;
        while (_heldBack.Remove(snapshot.AppliedSeq + 1, out var next))
        {
            snapshot = snapshot.Apply(next);
        }

        Publish(snapshot);
        Volatile.Write(ref _heldBackCount, _heldBack.Count);
        while (_awaitingApply.Count > 0)
        {
            var (seq, waiting) = _awaitingApply.First();
            if (seq > snapshot.AppliedSeq)
            {
                break;
            }

            _awaitingApply.Remove(seq);
            foreach (var reply in waiting)
            {
                reply.TrySetResult(new ReplicateOutcome.Acknowledged(seq, snapshot.AppliedSeq));
            }
        }
    }

    private void StartEpoch(long epoch)
    {
        LogNewEpoch(Logger, _snapshot.Epoch, epoch, _snapshot.AppliedSeq);
        foreach (var waiting in _awaitingApply.Values)
        {
            foreach (var reply in waiting)
            {
                reply.TrySetResult(new ReplicateOutcome.StaleEpoch(epoch));
            }
        }

        _awaitingApply.Clear();
        _heldBack.Clear();
        Publish(StoreSnapshot.Empty(epoch));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "New leader epoch {NewEpoch} (was {OldEpoch}, applied seq {AppliedSeq}): starting from an empty store")]
    private static partial void LogNewEpoch(ILogger logger, long oldEpoch, long newEpoch, long appliedSeq);
}
