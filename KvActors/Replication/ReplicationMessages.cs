using KvActors.Store;

namespace KvActors.Replication;

/// <summary>
/// The replication protocol between the leader and a follower, as actor messages. Over the network
/// a <see cref="Replicate"/> travels as <c>POST /replication/entries</c> (see <see cref="ReplicateRequest"/>),
/// and the follower's answer comes back to the sender as one of the <see cref="IReply"/> records.
/// </summary>
public static class ReplicationMessages
{
    /// <summary>What a follower answers to <see cref="Replicate"/>.</summary>
    public interface IReply
    {
        /// <summary>The follower's node name.</summary>
        string Follower { get; }

        /// <summary>The <c>seq</c> of the entry this answers.</summary>
        long Seq { get; }
    }

    /// <summary>Deliver <paramref name="Entry"/> to a follower; the sender gets exactly one <see cref="Replicated"/> or <see cref="ReplicationFailed"/>.</summary>
    /// <param name="Entry">The log entry.</param>
    public sealed record Replicate(LogEntry Entry);

    /// <summary>The follower acknowledged the entry (on receipt or on apply, per its ack mode).</summary>
    /// <param name="Follower">The follower's node name.</param>
    /// <param name="Seq">The acknowledged <c>seq</c>.</param>
    /// <param name="AppliedSeq">The follower's applied <c>seq</c> when it answered, for lag reporting.</param>
    public sealed record Replicated(string Follower, long Seq, long AppliedSeq) : IReply;

    /// <summary>Delivery failed for good: retries ran out, or the follower refused the entry.</summary>
    /// <param name="Follower">The follower's node name.</param>
    /// <param name="Seq">The entry's <c>seq</c>.</param>
    /// <param name="Error">The last error, for <c>/status</c> and logs.</param>
    public sealed record ReplicationFailed(string Follower, long Seq, string Error) : IReply;
}
