namespace KvActors.Replication.Follower;

/// <summary>
/// When a follower acknowledges a replicated entry: the durability-versus-latency choice that
/// PostgreSQL exposes as <c>synchronous_commit</c>.
/// </summary>
public enum AckMode
{
    /// <summary>
    /// On receipt: the follower holds the entry, even if an earlier one is still on its way and so
    /// it is not yet readable there. Like MySQL semi-sync (<c>AFTER_SYNC</c> on receipt of the relay
    /// log event) and PostgreSQL <c>remote_write</c>.
    /// </summary>
    Received,

    /// <summary>
    /// On apply: the entry and every one before it are applied and readable on the follower. Like
    /// PostgreSQL <c>remote_apply</c>; costs the wait for any earlier entry still in flight.
    /// </summary>
    Applied,
}
