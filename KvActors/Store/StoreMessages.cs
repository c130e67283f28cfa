using KvActors.Replication.Follower;
using KvActors.Runtime;

namespace KvActors.Store;

/// <summary>The store actor's protocol: appends on the leader, replicated entries on a follower.</summary>
public static class StoreMessages
{
    /// <summary>Every message the store actor takes.</summary>
    public interface IMessage;

    /// <summary>What the store answers to an <see cref="Append"/>.</summary>
    public interface IAppendReply;

    /// <summary>
    /// Leader only: give the command the next <c>seq</c>, apply it and append it to the replication log.
    /// </summary>
    /// <param name="Command">The client's write.</param>
    /// <param name="CorrelationId">Echoed in the reply so the sender can match it to its client.</param>
    /// <param name="ReplyTo">Receives <see cref="Appended"/> or <see cref="AppendRejected"/>.</param>
    public sealed record Append(WriteCommand Command, long CorrelationId, IActorRef<IAppendReply> ReplyTo) : IMessage;

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
    /// Follower only: an entry from the leader. Replied with a <see cref="ReplicateOutcome"/> when the
    /// follower's <see cref="AckMode"/> says it may acknowledge.
    /// </summary>
    /// <param name="Entry">The entry as the leader sent it.</param>
    /// <param name="Reply">Completed with the acknowledgement or the refusal.</param>
    public sealed record ApplyReplicated(LogEntry Entry, TaskCompletionSource<ReplicateOutcome> Reply) : IMessage;
}
