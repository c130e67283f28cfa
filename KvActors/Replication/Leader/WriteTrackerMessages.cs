namespace KvActors.Replication.Leader;

/// <summary>The per-write tracker's protocol: its own timers and its followers' replies.</summary>
internal static class WriteTrackerMessages
{
    /// <summary>Every message the tracker takes.</summary>
    public interface IMessage;

    /// <summary>A follower's simulated network delay has passed: send it the entry now.</summary>
    /// <param name="FollowerIndex">Index into the tracker's follower list.</param>
    public sealed record SendDue(int FollowerIndex) : IMessage;

    /// <summary>The replication timeout has passed.</summary>
    public sealed record QuorumTimeout : IMessage;

    /// <summary>A follower's reply, wrapped by the tracker's message adapter.</summary>
    /// <param name="Reply">The reply.</param>
    public sealed record FollowerReplied(ReplicationMessages.IReply Reply) : IMessage;
}
