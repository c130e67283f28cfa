using KvActors.Store;
using Microsoft.Extensions.Logging;

namespace KvActors.Replication.Follower;

/// <summary>
/// A follower's replication rules, without an actor: which entries apply, in what order, which wait,
/// which are refused, and who is owed an acknowledgement. The follower's <c>StoreActor</c> owns one
/// and sends the replies it returns; specs and properties drive it directly.
/// </summary>
/// <remarks>
/// <para>Invariants, within one epoch: an entry is applied exactly once, only right after the entry
/// before it, so the state is always the leader's state at some earlier <c>seq</c>, and the applied
/// <c>seq</c> never goes backwards. Early entries wait as held back; duplicates (a leader's retry, a
/// replay) are acknowledged again and applied no second time.</para>
/// <para>Across epochs: an entry of a newer epoch is never applied on top of this state, because a
/// restarted leader continues the log from what it recovered, which need not be this follower's
/// history. Such entries are pending until a snapshot of that epoch is installed (Redis's full
/// resync after a failover); the catch-up fetches it as soon as it sees <see cref="PendingEpoch"/>.
/// A pending entry is acknowledged only once that snapshot is installed and the entry applied, in
/// either ack mode, because <see cref="Position"/> (what a recovering leader reads) reports only
/// entries of the applied state's epoch.</para>
/// <para>Not thread-safe: one owner (the actor's mailbox) calls it.</para>
/// </remarks>
/// <typeparam name="TWaiter">Who an acknowledgement goes to (a sender's actor reference; anything in specs).</typeparam>
public sealed partial class FollowerReplica<TWaiter>
    where TWaiter : notnull
{
    /// <summary>
    /// How far past the applied <c>seq</c> an entry may be held back (entries). A leader with
    /// 10 writes in flight is a few entries ahead; this bounds memory against a runaway sender.
    /// </summary>
    public const long MaxHoldBack = 100_000;

    private readonly AckMode _ackMode;
    private readonly ILogger _logger;
    private readonly SortedDictionary<long, LogEntry> _heldBack = [];

    // Entries of a newer epoch than the applied state's, all of one epoch (_pendingEpoch).
    private readonly SortedDictionary<long, LogEntry> _pending = [];

    // In applied mode, waiters owed an acknowledgement once their entry (and all before it) is applied.
    private readonly SortedDictionary<(long Epoch, long Seq), List<TWaiter>> _awaitingApply = [];

    /// <summary>Creates an empty replica in no epoch: it applies nothing until a snapshot is installed.</summary>
    /// <param name="ackMode">When to acknowledge: on receipt, or once applied.</param>
    /// <param name="logger">For epoch changes and installed snapshots.</param>
    public FollowerReplica(AckMode ackMode, ILogger logger)
    {
        _ackMode = ackMode;
        _logger = logger;
    }

    /// <summary>The applied state.</summary>
    public StoreSnapshot State { get; private set; } = StoreSnapshot.Empty(0);

    /// <summary>The newer leader epoch whose entries wait for a resync, or 0.</summary>
    public long PendingEpoch { get; private set; }

    /// <summary>How many entries wait: held back behind a gap, or pending a newer epoch's snapshot.</summary>
    public int WaitingCount => _heldBack.Count + _pending.Count;

    /// <summary>This replica's position: applied state and the entries held back after it, oldest first.</summary>
    public StoreMessages.Position Position => new(State.Epoch, State.AppliedSeq, [.. _heldBack.Values]);

    /// <summary>Takes an entry pushed by the leader.</summary>
    /// <param name="entry">The entry as the leader sent it.</param>
    /// <param name="waiter">Who is owed the acknowledgement or refusal for it.</param>
    /// <returns>The replies now due, this entry's and, in applied mode, earlier waiters' whose entries just applied.</returns>
    public IReadOnlyList<(TWaiter Waiter, ReplicateOutcome Outcome)> Replicate(LogEntry entry, TWaiter waiter)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var replies = new List<(TWaiter, ReplicateOutcome)>();
        var ackOwed = Accept(entry, waiter, replies);
        ApplyContiguous(replies);
        if (ackOwed)
        {
            // After applying, so that whoever reads this follower once it has the ack sees the entry's effect.
            replies.Add((waiter, new ReplicateOutcome.Acknowledged(entry.Seq, entry.Epoch == State.Epoch ? State.AppliedSeq : 0)));
        }

        return replies;
    }

    /// <summary>Takes entries fetched from the leader's backlog, as if pushed but with no reply of their own.</summary>
    /// <param name="leaderEpoch">The leader's epoch when it answered: pending entries of a newer epoch cannot be its own and are dropped.</param>
    /// <param name="entries">The entries, oldest first.</param>
    /// <param name="continues">
    /// When the leader says its epoch continues this replica's (a leader restarted from its own
    /// disk): the epoch it continues and that epoch's last <c>seq</c>. Once this replica has applied
    /// exactly that far it moves into the leader's epoch without a snapshot.
    /// </param>
    /// <returns>The replies now due to earlier waiters.</returns>
    public IReadOnlyList<(TWaiter Waiter, ReplicateOutcome Outcome)> CatchUp(long leaderEpoch, IEnumerable<LogEntry> entries, StoreMessages.ContinuedEpoch? continues = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var replies = new List<(TWaiter, ReplicateOutcome)>();
        DropPendingAfter(leaderEpoch, replies);
        foreach (var entry in entries)
        {
            ContinueEpochIfDue(leaderEpoch, continues, replies);

            // The continued epoch's own entries are the leader's history, although a newer epoch is pending.
            var vouched = continues is not null && entry.Epoch == continues.PreviousEpoch && entry.Seq <= continues.LastSeq;
            _ = Accept(entry, default, replies, vouched);
            ApplyContiguous(replies);
        }

        ContinueEpochIfDue(leaderEpoch, continues, replies);
        ApplyContiguous(replies);
        return replies;
    }

    // A leader that restarted from its own disk continues its history in a new epoch: every entry of
    // the old epoch up to the continued seq is the one it holds, since it wrote each before sending
    // it. A replica at exactly that point therefore holds a prefix of the new epoch's history and may
    // take its entries as they are (Kafka's leader epochs; Raft's log matching). Entries held back
    // past that point belong to a history the leader does not have and are dropped.
    private void ContinueEpochIfDue(long leaderEpoch, StoreMessages.ContinuedEpoch? continues, List<(TWaiter, ReplicateOutcome)> replies)
    {
        var state = State;
        if (continues is null || state.Epoch != continues.PreviousEpoch || state.AppliedSeq != continues.LastSeq || leaderEpoch <= state.Epoch)
        {
            return;
        }

        LogEpochContinued(_logger, state.Epoch, leaderEpoch, state.AppliedSeq);
        _heldBack.Clear();
        State = state with { Epoch = leaderEpoch };
        if (PendingEpoch == leaderEpoch)
        {
            foreach (var (seq, entry) in _pending)
            {
                _heldBack[seq] = entry;
            }
        }

        _pending.Clear();
        PendingEpoch = 0;
        _changes?.Continued(_heldBack.Values);
        ApplyContiguous(replies);
    }

    /// <summary>
    /// Replaces the state with the leader's snapshot if it is ahead (a newer epoch, or a later
    /// <c>seq</c> in this epoch); held-back entries after it are kept.
    /// </summary>
    /// <param name="snapshot">The leader's state at one <c>seq</c>.</param>
    /// <param name="due">The replies now due to earlier waiters.</param>
    /// <returns>True when installed, false when it was not ahead (a late or repeated snapshot, ignored).</returns>
    public bool Install(StoreSnapshot snapshot, out IReadOnlyList<(TWaiter Waiter, ReplicateOutcome Outcome)> due)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var replies = new List<(TWaiter, ReplicateOutcome)>();
        due = replies;
        var current = State;
        DropPendingAfter(snapshot.Epoch, replies);
        if (snapshot.Epoch < current.Epoch || (snapshot.Epoch == current.Epoch && snapshot.AppliedSeq <= current.AppliedSeq))
        {
            return false;
        }

        LogSnapshotInstalled(_logger, current.Epoch, current.AppliedSeq, snapshot.Epoch, snapshot.AppliedSeq, snapshot.Items.Count);
        if (snapshot.Epoch > current.Epoch)
        {
            // Entries held back from the old epoch belong to a history the new leader may not share.
            // Entries waiting for this very epoch become ordinary held-back ones (any older pending
            // epoch ended unapplied, and newer ones were dropped above).
            _heldBack.Clear();
            if (PendingEpoch == snapshot.Epoch)
            {
                foreach (var (seq, entry) in _pending)
                {
                    _heldBack[seq] = entry;
                }
            }

            _pending.Clear();
            PendingEpoch = 0;
        }

        foreach (var seq in _heldBack.Keys.TakeWhile(s => s <= snapshot.AppliedSeq).ToList())
        {
            _heldBack.Remove(seq);
        }

        State = snapshot;
        _changes?.Installed(snapshot, _heldBack.Values);
        ApplyContiguous(replies);
        return true;
    }

    // Takes the entry, answers refusals and duplicates at once, and returns true when a received-mode
    // acknowledgement is owed, which the caller sends once it has applied what it can.
    private bool Accept(LogEntry entry, TWaiter? waiter, List<(TWaiter, ReplicateOutcome)> replies, bool vouched = false)
    {
        var state = State;
        if (entry.Epoch < state.Epoch || (!vouched && PendingEpoch != 0 && entry.Epoch < PendingEpoch))
        {
            Reply(waiter, new ReplicateOutcome.StaleEpoch(entry.Seq, Math.Max(state.Epoch, PendingEpoch)), replies);
            return false;
        }

        var sameEpoch = entry.Epoch == state.Epoch;
        if (sameEpoch && entry.Seq <= state.AppliedSeq)
        {
            Reply(waiter, new ReplicateOutcome.Acknowledged(entry.Seq, state.AppliedSeq), replies);
            return false;
        }

        var waiting = sameEpoch ? _heldBack : _pending;
        if ((sameEpoch && entry.Seq - state.AppliedSeq > MaxHoldBack) || (!sameEpoch && _pending.Count >= MaxHoldBack && !_pending.ContainsKey(entry.Seq)))
        {
            Reply(waiter, new ReplicateOutcome.TooFarAhead(entry.Seq, state.AppliedSeq, MaxHoldBack), replies);
            return false;
        }

        if (!sameEpoch && entry.Epoch > PendingEpoch)
        {
            DropPendingAfter(0, replies);
            PendingEpoch = entry.Epoch;
            LogPendingEpoch(_logger, entry.Epoch, state.Epoch, state.AppliedSeq);
        }

        if (waiting.TryAdd(entry.Seq, entry) && sameEpoch)
        {
            _changes?.AddHeldBack(entry);
        }

        if (waiter is null)
        {
            return false;
        }

        // A pending entry is owed its acknowledgement only once applied, in either mode: a recovering
        // leader learns what a follower holds from its Position, which cannot report an entry of an
        // epoch whose snapshot is not installed, so an acknowledged pending entry could be lost if
        // this epoch's leader died before the snapshot arrived.
        if (_ackMode == AckMode.Applied || !sameEpoch)
        {
            if (!_awaitingApply.TryGetValue((entry.Epoch, entry.Seq), out var waiters))
            {
                _awaitingApply[(entry.Epoch, entry.Seq)] = waiters = [];
            }

            waiters.Add(waiter);
            return false;
        }

        // Received mode: the entry is held, so it will be applied once what precedes it arrives.
        return true;
    }

    // Entries of an epoch newer than the leader's own cannot come from the leader: a forger, or a
    // leader that has since been replaced. They are dropped and their waiters told so.
    private void DropPendingAfter(long leaderEpoch, List<(TWaiter, ReplicateOutcome)> replies)
    {
        if (PendingEpoch == 0 || PendingEpoch <= leaderEpoch)
        {
            return;
        }

        _pending.Clear();
        foreach (var key in _awaitingApply.Keys.Where(k => k.Epoch == PendingEpoch).ToList())
        {
            Resolve(key, new ReplicateOutcome.StaleEpoch(key.Seq, State.Epoch), replies);
        }

        PendingEpoch = 0;
    }

    private void ApplyContiguous(List<(TWaiter, ReplicateOutcome)> replies)
    {
        var state = State;
        while (_heldBack.Remove(state.AppliedSeq + 1, out var next))
        {
            state = state.Apply(next);
            _changes?.AddApplied(next);
        }

        State = state;
        foreach (var key in _awaitingApply.Keys.ToList())
        {
            if (key.Epoch < state.Epoch)
            {
                // Its epoch ended before it was applied here: the leader that sent it is gone.
                Resolve(key, new ReplicateOutcome.StaleEpoch(key.Seq, state.Epoch), replies);
            }
            else if (key.Epoch == state.Epoch && key.Seq <= state.AppliedSeq)
            {
                Resolve(key, new ReplicateOutcome.Acknowledged(key.Seq, state.AppliedSeq), replies);
            }
            else
            {
                break;
            }
        }
    }

    private void Resolve((long Epoch, long Seq) key, ReplicateOutcome outcome, List<(TWaiter, ReplicateOutcome)> replies)
    {
        if (_awaitingApply.Remove(key, out var waiters))
        {
            replies.AddRange(waiters.Select(w => (w, outcome)));
        }
    }

    private static void Reply(TWaiter? waiter, ReplicateOutcome outcome, List<(TWaiter, ReplicateOutcome)> replies)
    {
        if (waiter is not null)
        {
            replies.Add((waiter, outcome));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entries of leader epoch {NewEpoch} arrived (applied: epoch {OldEpoch}, seq {AppliedSeq}): holding them until a snapshot of that epoch is installed")]
    private static partial void LogPendingEpoch(ILogger logger, long newEpoch, long oldEpoch, long appliedSeq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader epoch {NewEpoch} continues epoch {OldEpoch} after seq {AppliedSeq} (a leader restarted from its own disk): continuing without a snapshot")]
    private static partial void LogEpochContinued(ILogger logger, long oldEpoch, long newEpoch, long appliedSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Installed a snapshot: epoch {OldEpoch} seq {OldSeq} -> epoch {NewEpoch} seq {NewSeq} ({Items} keys)")]
    private static partial void LogSnapshotInstalled(ILogger logger, long oldEpoch, long oldSeq, long newEpoch, long newSeq, int items);
}
