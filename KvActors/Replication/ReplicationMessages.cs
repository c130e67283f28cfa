using KvActors.Replication.Wire;
using KvActors.Store;

namespace KvActors.Replication;

/// <summary>
/// The replication protocol between the leader's actors and a follower's store: the messages that
/// cross the network over Akka.Remote, each as JSON (<see cref="ReplicationSerializer"/>), and no
/// others (<c>akka.hocon</c> refuses every unbound type).
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

    /// <summary>
    /// Leader to follower: take <paramref name="Entry"/>. The follower's store answers the sender with
    /// a <see cref="Replicated"/> or a <see cref="ReplicationFailed"/>, once per copy it receives.
    /// </summary>
    /// <param name="Entry">The log entry.</param>
    public sealed record Replicate(LogEntry Entry);

    /// <summary>The follower acknowledged the entry (on receipt or on apply, per its ack mode).</summary>
    /// <param name="Follower">The follower's node name.</param>
    /// <param name="Seq">The acknowledged <c>seq</c>.</param>
    /// <param name="AppliedSeq">The follower's applied <c>seq</c> when it answered, for lag reporting.</param>
    public sealed record Replicated(string Follower, long Seq, long AppliedSeq) : IReply;

    /// <summary>
    /// The entry did not reach the follower for good: the follower refused it (an older epoch, too far
    /// ahead), or the leader gave up resending it. The follower's catch-up repairs the latter.
    /// </summary>
    /// <param name="Follower">The follower's node name.</param>
    /// <param name="Seq">The entry's <c>seq</c>.</param>
    /// <param name="Error">Why, for <c>/status</c> and logs.</param>
    public sealed record ReplicationFailed(string Follower, long Seq, string Error) : IReply;

    /// <summary>
    /// A recovering leader to a follower: where are you? Answered with a <see cref="PositionDocument"/>
    /// (epoch, applied <c>seq</c>, held-back entries, and the URL of the follower's snapshot).
    /// </summary>
    public sealed record ReadPosition
    {
        /// <summary>The one instance: the request carries nothing.</summary>
        public static readonly ReadPosition Instance = new();
    }
}
