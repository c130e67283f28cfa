using KvActors.Store;

namespace KvActors.Replication.Leader;

/// <summary>The write coordinator's protocol: client writes in, and what its per-write trackers report.</summary>
public static class WriteCoordinatorMessages
{
    /// <summary>A client write, from the HTTP facade (the one Ask in the write path), answered with a <see cref="WriteOutcome"/>.</summary>
    /// <param name="Command">The validated write.</param>
    /// <param name="Idempotency">
    /// The request's <c>Idempotency-Key</c> and fingerprint, when it carried one: the write is then
    /// applied at most once per key within the window (<see cref="IdempotencyTable{TWaiter}"/>).
    /// </param>
    public sealed record Write(WriteCommand Command, IdempotentRequest? Idempotency = null);

    /// <summary>A follower acknowledged an entry (for per-follower progress in <c>/status</c>).</summary>
    /// <param name="Follower">The follower's node name.</param>
    /// <param name="Seq">The acknowledged <c>seq</c>.</param>
    /// <param name="AppliedSeq">The follower's applied <c>seq</c> when it answered.</param>
    public sealed record FollowerAcknowledged(string Follower, long Seq, long AppliedSeq);

    /// <summary>Delivery of an entry to a follower failed for good.</summary>
    /// <param name="Follower">The follower's node name.</param>
    /// <param name="Seq">The entry's <c>seq</c>.</param>
    /// <param name="Error">The last error.</param>
    public sealed record FollowerFailed(string Follower, long Seq, string Error);

    /// <summary>
    /// A follower fetched from the leader's backlog (<c>GET /replication/entries</c>): its exact applied
    /// <c>seq</c>, and what it was given.
    /// </summary>
    /// <param name="Follower">The follower's node name as it gave it.</param>
    /// <param name="AppliedSeq">Its applied <c>seq</c> when it asked (0 when it asked from another epoch).</param>
    /// <param name="FullResync">True when it was told to install a snapshot.</param>
    /// <param name="Entries">How many entries it was given.</param>
    public sealed record FollowerPulled(string Follower, long AppliedSeq, bool FullResync, int Entries);

    /// <summary>A tracker answered its client (committed or not), for the write counters.</summary>
    /// <param name="Seq">The write's <c>seq</c>.</param>
    /// <param name="Committed">True for a 200, false for a 504.</param>
    public sealed record WriteAnswered(long Seq, bool Committed);

    /// <summary>A tracker has heard from every follower (or was stopped) and is done.</summary>
    /// <param name="Seq">The write's <c>seq</c>.</param>
    public sealed record WriteFinished(long Seq);

    /// <summary>Asks for the leader's replication status, answered with a <see cref="LeaderStatus"/>.</summary>
    public sealed record GetStatus
    {
        /// <summary>The one instance: the request carries nothing.</summary>
        public static readonly GetStatus Instance = new();
    }
}
