namespace KvActors.Replication.Leader;

/// <summary>The per-write tracker's own timers; the followers' replies are <see cref="ReplicationMessages.IReply"/>.</summary>
internal static class WriteTrackerMessages
{
    /// <summary>A follower's simulated network delay has passed: send it the entry now.</summary>
    /// <param name="FollowerIndex">Index into the tracker's follower list.</param>
    public sealed record SendDue(int FollowerIndex);

    /// <summary>Time to send the entry again to every follower that was sent it and has not answered.</summary>
    public sealed record ResendDue
    {
        /// <summary>The one instance: the timer's message carries nothing.</summary>
        public static readonly ResendDue Instance = new();
    }

    /// <summary>The replication timeout has passed.</summary>
    public sealed record QuorumTimeout
    {
        /// <summary>The one instance: the timer's message carries nothing.</summary>
        public static readonly QuorumTimeout Instance = new();
    }
}
