namespace KvActors.Replication.Leader;

/// <summary>The leader's view of replication, in the spirit of PostgreSQL's <c>pg_stat_replication</c>.</summary>
/// <param name="LastSeq">The last <c>seq</c> given to a write.</param>
/// <param name="WriteQuorum">W.</param>
/// <param name="WritesCommitted">Writes answered 200 since start (MySQL's <c>Rpl_semi_sync_source_yes_tx</c>).</param>
/// <param name="WritesNotCommitted">Writes answered 504 since start (<c>Rpl_semi_sync_source_no_tx</c>).</param>
/// <param name="WritesInFlight">Writes still being delivered to at least one follower.</param>
/// <param name="Followers">One entry per follower, in <c>FOLLOWERS</c> order.</param>
public sealed record LeaderStatus(
    long LastSeq,
    int WriteQuorum,
    long WritesCommitted,
    long WritesNotCommitted,
    int WritesInFlight,
    IReadOnlyList<FollowerStatus> Followers);

/// <summary>One follower's replication progress as the leader sees it.</summary>
/// <param name="Node">The follower's node name.</param>
/// <param name="State">Streaming, catching up, or unreachable.</param>
/// <param name="AckedSeq">The highest <c>seq</c> it acknowledged.</param>
/// <param name="AppliedSeq">Its applied <c>seq</c> as last reported (by an acknowledgement or a catch-up fetch).</param>
/// <param name="Lag">Replication lag in entries: the leader's last <c>seq</c> minus <paramref name="AppliedSeq"/>.</param>
/// <param name="LagMs">Replication lag in ms: how long ago the leader appended the oldest entry it has not applied; 0 when caught up.</param>
/// <param name="LastError">The last delivery error, or null when the last delivery succeeded.</param>
public sealed record FollowerStatus(string Node, FollowerState State, long AckedSeq, long AppliedSeq, long Lag, long LagMs, string? LastError);
