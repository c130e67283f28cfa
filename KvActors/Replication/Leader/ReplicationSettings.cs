namespace KvActors.Replication.Leader;

/// <summary>How the leader replicates each write.</summary>
/// <param name="WriteQuorum">
/// W: follower acknowledgements a write waits for before it is answered 200, 0 to the number of
/// followers. 0 is asynchronous replication, all followers is fully synchronous, and anything
/// between is semi-synchronous (MySQL's <c>rpl_semi_sync_source_wait_for_replica_count</c>,
/// Redis's <c>WAIT numreplicas</c>).
/// </param>
/// <param name="MinDelay">Shortest simulated network lag before a replicate request.</param>
/// <param name="MaxDelay">Longest simulated lag; each follower's delay per write is uniform in [min, max].</param>
/// <param name="ReplicationTimeout">How long a write waits for its quorum before it is answered 504.</param>
public sealed record ReplicationSettings(int WriteQuorum, TimeSpan MinDelay, TimeSpan MaxDelay, TimeSpan ReplicationTimeout)
{
    /// <summary>
    /// How long after sending an entry to a follower the leader sends it again if no answer came:
    /// 500 ms, doubling up to 4 s. Akka.Remote delivers at most once (a message to a gated or
    /// restarted node is dropped), and the follower acknowledges a copy it already holds without
    /// applying it twice. Short enough that a write caught by a connection gated for 500 ms
    /// (<c>retry-gate-closed-for</c>) still reaches the follower well within a 2 s replication timeout.
    /// </summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long the leader keeps resending one entry to a silent follower: 60 s. After that the entry
    /// counts as failed for that follower, whose own catch-up fetches what it missed.
    /// </summary>
    public TimeSpan DeliveryWindow { get; init; } = TimeSpan.FromSeconds(60);
}
