using Akka.Actor;

namespace KvActors.Replication.Leader;

/// <summary>
/// The per-write tracker's own timers, and what its coordinator tells it about the followers; the
/// followers' replies are <see cref="ReplicationMessages.IReply"/>.
/// </summary>
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

    /// <summary>
    /// Akka.Remote has (re)associated with the node at <paramref name="Address"/>: send its follower now
    /// whatever it was sent and has not answered. What was sent while the association was gated (a
    /// follower restarting) was dropped, and the next backoff step could come seconds later.
    /// </summary>
    /// <param name="Address">The remote actor system's address.</param>
    public sealed record FollowerReachable(Address Address);

    /// <summary>The replication timeout has passed.</summary>
    public sealed record QuorumTimeout
    {
        /// <summary>The one instance: the timer's message carries nothing.</summary>
        public static readonly QuorumTimeout Instance = new();
    }
}
