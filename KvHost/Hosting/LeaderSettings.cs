using KvActors.Replication.Leader;

namespace KvHost.Hosting;

/// <summary>
/// The settings only a leader has (<c>ROLE=leader</c>): whom it replicates to and how. It takes the
/// client writes, numbers them and waits for W followers before it answers.
/// </summary>
/// <param name="Followers">
/// <c>FOLLOWERS</c>: the followers' stores as remote actor paths, <c>akka.ssl.tcp://kv@HOST:PORT/user/store</c>,
/// in the order <c>/status</c> lists them. Required.
/// </param>
/// <param name="WriteQuorum"><c>WRITE_QUORUM</c>: W, 0 to the number of followers; default all of them.</param>
/// <param name="MinDelay"><c>MIN_DELAY_MS</c>: shortest simulated lag before an entry is sent to a follower; default 0 ms.</param>
/// <param name="MaxDelay"><c>MAX_DELAY_MS</c>: longest simulated lag; default 1000 ms.</param>
/// <param name="ReplicationTimeout"><c>REPLICATION_TIMEOUT_MS</c>: how long a write waits for W before its 504; default 5000 ms.</param>
/// <param name="ReplicationLogEntries">
/// <c>REPLICATION_LOG_ENTRIES</c>: the backlog a lagging follower can catch up from entry by entry
/// (Redis's <c>repl-backlog-size</c>, counted in entries); default 100000. A follower further behind
/// gets a snapshot.
/// </param>
/// <param name="MaxWritesInFlight">
/// <c>MAX_WRITES_IN_FLIGHT</c>: how many client writes may wait for their quorum at once; one more is
/// answered 503 at once. Default 4096.
/// </param>
public sealed record LeaderSettings(
    IReadOnlyList<FollowerEndpoint> Followers,
    int WriteQuorum,
    TimeSpan MinDelay,
    TimeSpan MaxDelay,
    TimeSpan ReplicationTimeout,
    int ReplicationLogEntries,
    int MaxWritesInFlight) : RoleSettings
{
    /// <inheritdoc />
    public override string Name => "leader";

    /// <summary>
    /// <c>IDEMPOTENCY_WINDOW_MS</c> (default 86400000, 24 hours) and <c>IDEMPOTENCY_KEYS</c> (default
    /// 100000): how long after its answer, and how many answered keys at most, the leader remembers
    /// an <c>Idempotency-Key</c>, so that a retried write is applied once. In memory only: a
    /// restarted leader remembers none.
    /// </summary>
    public IdempotencySettings Idempotency { get; init; } = IdempotencySettings.Default;

    /// <summary>The replication settings the write coordinator needs.</summary>
    public ReplicationSettings Replication => new(WriteQuorum, MinDelay, MaxDelay, ReplicationTimeout);
}
