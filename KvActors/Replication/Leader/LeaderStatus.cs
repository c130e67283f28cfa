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
/// <param name="State">
/// <see cref="Streaming"/> or <see cref="CatchingUp"/>; the HTTP layer shows <c>unreachable</c> when the
/// last delivery attempt to it failed.
/// </param>
/// <param name="AckedSeq">The highest <c>seq</c> it acknowledged.</param>
/// <param name="AppliedSeq">Its applied <c>seq</c> as last reported (by an acknowledgement or a catch-up fetch).</param>
/// <param name="Lag">Replication lag in entries: the leader's last <c>seq</c> minus <paramref name="AppliedSeq"/>.</param>
/// <param name="LagMs">Replication lag in ms: how long ago the leader appended the oldest entry it has not applied; 0 when caught up.</param>
/// <param name="LastError">The last delivery error, or null when the last delivery succeeded.</param>
public sealed record FollowerStatus(string Node, string State, long AckedSeq, long AppliedSeq, long Lag, long LagMs, string? LastError)
{
    /// <summary>It receives the leader's entries as they are written.</summary>
    public const string Streaming = "streaming";

    /// <summary>It is behind: in the last 5 s it needed a snapshot, or fetched an entry the push should long since have delivered.</summary>
    public const string CatchingUp = "catching-up";

    /// <summary>The last delivery attempt to it failed (refused, timed out, 5xx); deliveries are being retried.</summary>
    public const string Unreachable = "unreachable";
}
