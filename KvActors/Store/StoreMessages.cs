using KvActors.Replication.Follower;

namespace KvActors.Store;

/// <summary>
/// The store actor's protocol: appends on the leader, replicated entries on a follower. Every
/// message is answered to its sender.
/// </summary>
public static class StoreMessages
{
    /// <summary>What the store answers to an <see cref="Append"/>.</summary>
    public interface IAppendReply;

    /// <summary>
    /// Leader only: give the command the next <c>seq</c>, apply it and append it to the replication log.
    /// </summary>
    /// <param name="Command">The client's write.</param>
    /// <param name="CorrelationId">Echoed in the reply (<see cref="Appended"/>, <see cref="AppendRejected"/> or <see cref="AppendFailed"/>) so the sender can match it to its client.</param>
    public sealed record Append(WriteCommand Command, long CorrelationId);

    /// <summary>The write is applied on the leader as <paramref name="Entry"/>.</summary>
    /// <param name="Entry">The new log entry, with its <c>seq</c>.</param>
    /// <param name="CorrelationId">From the <see cref="Append"/>.</param>
    public sealed record Appended(LogEntry Entry, long CorrelationId) : IAppendReply;

    /// <summary>The write changed nothing and took no <c>seq</c>.</summary>
    /// <param name="CorrelationId">From the <see cref="Append"/>.</param>
    /// <param name="Reason">Why, as a sentence for the client.</param>
    /// <param name="KeyNotFound">True when a delete named a key that does not exist (a 404).</param>
    public sealed record AppendRejected(long CorrelationId, string Reason, bool KeyNotFound) : IAppendReply;

    /// <summary>The append failed for a reason that is not the client's (a bug, or this node is not the leader).</summary>
    /// <param name="CorrelationId">From the <see cref="Append"/>.</param>
    /// <param name="Error">What went wrong, for the log and the problem document.</param>
    public sealed record AppendFailed(long CorrelationId, string Error) : IAppendReply;

    /// <summary>
    /// Leader only, once, at start: take <paramref name="Recovered"/> (the most advanced follower's
    /// state, or an empty one, in this leader's new epoch) and continue the log after its <c>seq</c>.
    /// Until then the leader's store refuses appends.
    /// </summary>
    /// <param name="Recovered">The state to start from; its <c>Epoch</c> is the new leader epoch. Answered with it once taken (and stored, on a durable leader).</param>
    /// <param name="Own">
    /// Set when <paramref name="Recovered"/> is exactly what this leader's own disk held: the disk
    /// keeps it as it is, and the new epoch continues the old one's log. Null when it came from a
    /// follower or is empty: a durable leader stores it whole first.
    /// </param>
    public sealed record BecomeLeader(StoreSnapshot Recovered, OwnHistory? Own = null);

    /// <summary>What a leader restarted from its own disk brings of its history.</summary>
    /// <param name="PreviousEpoch">The epoch its disk was in: the new epoch continues it after <c>Recovered.AppliedSeq</c>.</param>
    /// <param name="Backlog">The log entries its disk kept, oldest first, the last one at <c>Recovered.AppliedSeq</c>: the backlog followers catch up from.</param>
    public sealed record OwnHistory(long PreviousEpoch, IReadOnlyList<LogEntry> Backlog);

    /// <summary>
    /// The leader's epoch continues <paramref name="PreviousEpoch"/>, whose last entry was
    /// <paramref name="LastSeq"/>: a follower of that epoch that has applied up to it holds a prefix of
    /// this leader's history and moves into the new epoch without a snapshot.
    /// </summary>
    /// <param name="PreviousEpoch">The epoch continued.</param>
    /// <param name="LastSeq">Its last <c>seq</c>; the new epoch's first entry is the next one.</param>
    public sealed record ContinuedEpoch(long PreviousEpoch, long LastSeq);

    /// <summary>
    /// Leader only: the log entries a follower at (<paramref name="Epoch"/>, <paramref name="After"/>)
    /// lacks, or word that it needs a snapshot (Redis PSYNC's partial versus full resync).
    /// </summary>
    /// <param name="Epoch">The follower's epoch.</param>
    /// <param name="After">The follower's applied <c>seq</c>.</param>
    /// <param name="Limit">At most this many entries per answer, at least 1. Answered with a <see cref="LogRead"/>.</param>
    public sealed record ReadLog(long Epoch, long After, int Limit);

    /// <summary>The answer to a <see cref="ReadLog"/>.</summary>
    /// <param name="Epoch">The leader's epoch.</param>
    /// <param name="LastSeq">The leader's last <c>seq</c>.</param>
    /// <param name="FullResyncRequired">
    /// True when the follower's epoch is not the leader's, or the backlog no longer reaches back to
    /// its <c>seq</c>: entries alone cannot bring it up to date, only a snapshot can.
    /// </param>
    /// <param name="Entries">The entries after the follower's <c>seq</c>, oldest first (empty on a full resync).</param>
    /// <param name="Continues">Set when the follower is of the epoch this leader's epoch continues, so entries do (see <see cref="ContinuedEpoch"/>).</param>
    public sealed record LogRead(long Epoch, long LastSeq, bool FullResyncRequired, IReadOnlyList<LogEntry> Entries, ContinuedEpoch? Continues = null);

    /// <summary>
    /// Follower only: entries fetched from the leader by the catch-up loop. Each is taken as if
    /// replicated (duplicates ignored, early ones held back), without a reply of its own.
    /// </summary>
    /// <param name="LeaderEpoch">The leader's epoch when it answered: held entries of any newer epoch cannot be its own and are dropped.</param>
    /// <param name="Entries">The entries, oldest first. Answered with the applied <c>seq</c> (a <see cref="long"/>) afterwards.</param>
    /// <param name="Continues">The leader's word that its epoch continues this follower's, if it gave it.</param>
    public sealed record ApplyCaughtUp(long LeaderEpoch, IReadOnlyList<LogEntry> Entries, ContinuedEpoch? Continues = null);

    /// <summary>
    /// Follower only: replace the state with the leader's snapshot, if it is ahead of this one (a
    /// newer epoch, or a later <c>seq</c> in this epoch); held-back entries after it are kept.
    /// </summary>
    /// <param name="Snapshot">The leader's state at one <c>seq</c>. Answered with true when installed, false when it was not ahead.</param>
    public sealed record InstallSnapshot(StoreSnapshot Snapshot);

    /// <summary>A follower's replication position.</summary>
    /// <param name="Epoch">The epoch of its applied state.</param>
    /// <param name="AppliedSeq">Its applied <c>seq</c>.</param>
    /// <param name="HeldBack">Entries of that epoch it holds past a missing one, oldest first.</param>
    public sealed record Position(long Epoch, long AppliedSeq, IReadOnlyList<LogEntry> HeldBack);
}
