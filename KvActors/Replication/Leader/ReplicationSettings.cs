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
public sealed record ReplicationSettings(int WriteQuorum, TimeSpan MinDelay, TimeSpan MaxDelay, TimeSpan ReplicationTimeout);
