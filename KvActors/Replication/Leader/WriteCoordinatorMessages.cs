using KvActors.Store;

namespace KvActors.Replication.Leader;

/// <summary>The write coordinator's protocol: client writes in, and what its per-write trackers report.</summary>
public static class WriteCoordinatorMessages
{
    /// <summary>Every message the coordinator takes.</summary>
    public interface IMessage;

    /// <summary>A client write, from the HTTP facade (the one Ask in the write path).</summary>
    /// <param name="Command">The validated write.</param>
    /// <param name="Reply">Completed once with the write's <see cref="WriteOutcome"/>.</param>
    public sealed record Write(WriteCommand Command, TaskCompletionSource<WriteOutcome> Reply) : IMessage;

    /// <summary>The store's answer to an append, wrapped by the coordinator's message adapter.</summary>
    /// <param name="Reply">The store's reply.</param>
    public sealed record StoreReplied(StoreMessages.IAppendReply Reply) : IMessage;

    /// <summary>A follower acknowledged an entry (for per-follower progress in <c>/status</c>).</summary>
    /// <param name="Follower">The follower's node name.</param>
    /// <param name="Seq">The acknowledged <c>seq</c>.</param>
    /// <param name="AppliedSeq">The follower's applied <c>seq</c> when it answered.</param>
    public sealed record FollowerAcknowledged(string Follower, long Seq, long AppliedSeq) : IMessage;

    /// <summary>Delivery of an entry to a follower failed for good.</summary>
    /// <param name="Follower">The follower's node name.</param>
    /// <param name="Seq">The entry's <c>seq</c>.</param>
    /// <param name="Error">The last error.</param>
    public sealed record FollowerFailed(string Follower, long Seq, string Error) : IMessage;

    /// <summary>
    /// A follower fetched from the leader's backlog (<c>GET /replication/entries</c>): its exact applied
    /// <c>seq</c>, and what it was given.
    /// </summary>
    /// <param name="Follower">The follower's node name as it gave it.</param>
    /// <param name="AppliedSeq">Its applied <c>seq</c> when it asked (0 when it asked from another epoch).</param>
    /// <param name="FullResync">True when it was told to install a snapshot.</param>
    /// <param name="Entries">How many entries it was given.</param>
    public sealed record FollowerPulled(string Follower, long AppliedSeq, bool FullResync, int Entries) : IMessage;

    /// <summary>A tracker answered its client (committed or not), for the write counters.</summary>
    /// <param name="Seq">The write's <c>seq</c>.</param>
    /// <param name="Committed">True for a 200, false for a 504.</param>
    public sealed record WriteAnswered(long Seq, bool Committed) : IMessage;

    /// <summary>A tracker has heard from every follower and stopped.</summary>
    /// <param name="Seq">The write's <c>seq</c>.</param>
    public sealed record WriteFinished(long Seq) : IMessage;

    /// <summary>Asks for the leader's replication status.</summary>
    /// <param name="Reply">Completed with a <see cref="LeaderStatus"/>.</param>
    public sealed record GetStatus(TaskCompletionSource<LeaderStatus> Reply) : IMessage;
}
