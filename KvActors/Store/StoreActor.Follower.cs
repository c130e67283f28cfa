using KvActors.Replication.Follower;
using Microsoft.Extensions.Logging;

namespace KvActors.Store;

/// <summary>
/// The follower's half of the store: applying the leader's entries strictly in <c>seq</c> order,
/// and resynchronising from a snapshot when a new leader epoch begins.
/// </summary>
/// <remarks>
/// <para>Invariants, within one epoch: an entry is applied exactly once, only right after the entry
/// before it, so the follower's state is always the leader's state at some earlier <c>seq</c>, and
/// the applied <c>seq</c> never goes backwards. Early entries wait in <see cref="_heldBack"/>;
/// duplicates (a leader's retry, a replay) are acknowledged again and applied no second time.</para>
/// <para>Across epochs: an entry of a newer epoch is never applied on top of this state, because a
/// restarted leader continues the log from what it recovered, which need not be this follower's
/// history. Such entries wait in <see cref="_pending"/> until a snapshot of that epoch is installed
/// (Redis's full resync after a failover); the catch-up loop fetches it as soon as it sees
/// <see cref="PendingEpoch"/>.</para>
/// </remarks>
public sealed partial class StoreActor
{
    /// <summary>
    /// How far past the applied <c>seq</c> an entry may be held back (entries). A leader with
    /// 10 writes in flight is a few entries ahead; this bounds memory against a runaway sender.
    /// </summary>
    public const long MaxHoldBack = 100_000;

    private readonly SortedDictionary<long, LogEntry> _heldBack = [];

    // Entries of a newer epoch than the applied state's, all of one epoch (_pendingEpoch).
    private readonly SortedDictionary<long, LogEntry> _pending = [];
    private long _pendingEpoch;

    // In applied mode, replies wait here until their entry (and all before it) is applied.
    private readonly SortedDictionary<(long Epoch, long Seq), List<TaskCompletionSource<ReplicateOutcome>>> _awaitingApply = [];

    private int _heldBackCount;

    /// <summary>How many entries arrived early and wait for an earlier one or for a resync (for <c>/status</c>).</summary>
    /// <remarks>Read from request threads; a racy but harmless read for monitoring and the catch-up loop.</remarks>
    public int HeldBackCount => Volatile.Read(ref _heldBackCount);

    /// <summary>
    /// The newer leader epoch whose entries wait for a resync, or 0. Non-zero means the catch-up loop
    /// should fetch a snapshot now. Read from the catch-up loop's thread, hence Volatile.
    /// </summary>
    public long PendingEpoch => Volatile.Read(ref _pendingEpoch);

    private void HandleReplicated(StoreMessages.ApplyReplicated message)
    {
        if (_log is not null)
        {
            message.Reply.TrySetResult(new ReplicateOutcome.NotAFollower());
            return;
        }

        var entry = message.Entry;
        var ackOwed = Accept(entry, message.Reply);
        ApplyContiguous();
        if (ackOwed)
        {
            // After applying, so that whoever reads this follower once it has the ack sees the entry's effect.
            message.Reply.TrySetResult(new ReplicateOutcome.Acknowledged(entry.Seq, entry.Epoch == _snapshot.Epoch ? _snapshot.AppliedSeq : 0));
        }
    }

    private void HandleCaughtUp(StoreMessages.ApplyCaughtUp message)
    {
        DropPendingAfter(message.LeaderEpoch);
        foreach (var entry in message.Entries)
        {
            _ = Accept(entry, reply: null);
        }

        ApplyContiguous();
        message.Reply.TrySetResult(_snapshot.AppliedSeq);
    }

    private void HandleInstallSnapshot(StoreMessages.InstallSnapshot message)
    {
        var (current, snapshot) = (_snapshot, message.Snapshot);
        DropPendingAfter(snapshot.Epoch);

        // Never backwards within an epoch, never into an older one: a late or repeated snapshot is ignored.
        if (snapshot.Epoch < current.Epoch || (snapshot.Epoch == current.Epoch && snapshot.AppliedSeq <= current.AppliedSeq))
        {
            message.Reply.TrySetResult(false);
            return;
        }

        LogSnapshotInstalled(Logger, current.Epoch, current.AppliedSeq, snapshot.Epoch, snapshot.AppliedSeq, snapshot.Items.Count);
        if (snapshot.Epoch > current.Epoch)
        {
            // Entries held back from the old epoch belong to a history the new leader may not share.
            // Entries waiting for this very epoch become ordinary held-back ones (any older pending
            // epoch ended unapplied, and newer ones were dropped above).
            _heldBack.Clear();
            if (_pendingEpoch == snapshot.Epoch)
            {
                foreach (var (seq, entry) in _pending)
                {
                    _heldBack[seq] = entry;
                }
            }

            _pending.Clear();
            Volatile.Write(ref _pendingEpoch, 0);
        }

        foreach (var seq in _heldBack.Keys.TakeWhile(s => s <= snapshot.AppliedSeq).ToList())
        {
            _heldBack.Remove(seq);
        }

        Publish(snapshot);
        ApplyContiguous();
        message.Reply.TrySetResult(true);
    }

    // Takes the entry, answers refusals and duplicates at once, and returns true when a received-mode
    // acknowledgement is owed, which the caller sends once it has applied what it can.
    private bool Accept(LogEntry entry, TaskCompletionSource<ReplicateOutcome>? reply)
    {
        var snapshot = _snapshot;
        if (entry.Epoch < snapshot.Epoch || (_pendingEpoch != 0 && entry.Epoch < _pendingEpoch))
        {
            reply?.TrySetResult(new ReplicateOutcome.StaleEpoch(Math.Max(snapshot.Epoch, _pendingEpoch)));
            return false;
        }

        var sameEpoch = entry.Epoch == snapshot.Epoch;
        if (sameEpoch && entry.Seq <= snapshot.AppliedSeq)
        {
            reply?.TrySetResult(new ReplicateOutcome.Acknowledged(entry.Seq, snapshot.AppliedSeq));
            return false;
        }

        var waiting = sameEpoch ? _heldBack : _pending;
        if ((sameEpoch && entry.Seq - snapshot.AppliedSeq > MaxHoldBack) || (!sameEpoch && _pending.Count >= MaxHoldBack && !_pending.ContainsKey(entry.Seq)))
        {
            reply?.TrySetResult(new ReplicateOutcome.TooFarAhead(snapshot.AppliedSeq, MaxHoldBack));
            return false;
        }

        if (!sameEpoch && entry.Epoch > _pendingEpoch)
        {
            DropPendingAfter(0);
            Volatile.Write(ref _pendingEpoch, entry.Epoch);
            LogPendingEpoch(Logger, entry.Epoch, snapshot.Epoch, snapshot.AppliedSeq);
        }

        waiting.TryAdd(entry.Seq, entry);
        if (reply is null)
        {
            return false;
        }

        if (_ackMode == AckMode.Applied)
        {
            AwaitApply(entry.Epoch, entry.Seq, reply);
            return false;
        }

        // Received mode: the entry is held, so it will be applied once what precedes it arrives.
        return true;
    }

    private void AwaitApply(long epoch, long seq, TaskCompletionSource<ReplicateOutcome> reply)
    {
        if (!_awaitingApply.TryGetValue((epoch, seq), out var waiting))
        {
            _awaitingApply[(epoch, seq)] = waiting = [];
        }

        waiting.Add(reply);
    }

    // Entries of an epoch newer than the leader's own cannot come from the leader: a forger, or a
    // leader that has since been replaced. They are dropped and their waiters told so.
    private void DropPendingAfter(long leaderEpoch)
    {
        if (_pendingEpoch == 0 || _pendingEpoch <= leaderEpoch)
        {
            return;
        }

        _pending.Clear();
        foreach (var key in _awaitingApply.Keys.Where(k => k.Epoch == _pendingEpoch).ToList())
        {
            Resolve(key, new ReplicateOutcome.StaleEpoch(_snapshot.Epoch));
        }

        Volatile.Write(ref _pendingEpoch, 0);
        Volatile.Write(ref _heldBackCount, _heldBack.Count);
    }

    private void ApplyContiguous()
    {
        var snapshot = _snapshot;
        while (_heldBack.Remove(snapshot.AppliedSeq + 1, out var next))
        {
            snapshot = snapshot.Apply(next);
        }

        Publish(snapshot);
        Volatile.Write(ref _heldBackCount, _heldBack.Count + _pending.Count);
        foreach (var key in _awaitingApply.Keys.ToList())
        {
            if (key.Epoch < snapshot.Epoch)
            {
                // Its epoch ended before it was applied here: the leader that sent it is gone.
                Resolve(key, new ReplicateOutcome.StaleEpoch(snapshot.Epoch));
            }
            else if (key.Epoch == snapshot.Epoch && key.Seq <= snapshot.AppliedSeq)
            {
                Resolve(key, new ReplicateOutcome.Acknowledged(key.Seq, snapshot.AppliedSeq));
            }
            else
            {
                break;
            }
        }
    }

    private void Resolve((long Epoch, long Seq) key, ReplicateOutcome outcome)
    {
        if (_awaitingApply.Remove(key, out var waiting))
        {
            foreach (var reply in waiting)
            {
                reply.TrySetResult(outcome);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entries of leader epoch {NewEpoch} arrived (applied: epoch {OldEpoch}, seq {AppliedSeq}): holding them until a snapshot of that epoch is installed")]
    private static partial void LogPendingEpoch(ILogger logger, long newEpoch, long oldEpoch, long appliedSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Installed a snapshot: epoch {OldEpoch} seq {OldSeq} -> epoch {NewEpoch} seq {NewSeq} ({Items} keys)")]
    private static partial void LogSnapshotInstalled(ILogger logger, long oldEpoch, long oldSeq, long newEpoch, long newSeq, int items);
}
