using System.Text.Json.Serialization;

namespace KvHost.Api;

/// <summary>
/// The 200 answer to <c>GET /status</c>. Every node fills the first fields; the leader adds W, its
/// counters and one <see cref="FollowerStatusResponse"/> per follower (like <c>pg_stat_replication</c>);
/// a follower adds what it holds back and where its leader is.
/// </summary>
/// <param name="Node">This node's name.</param>
/// <param name="Role"><c>leader</c> or <c>follower</c>.</param>
/// <param name="Epoch">The leader epoch this node's data belongs to.</param>
/// <param name="AppliedSeq">The highest <c>seq</c> applied here.</param>
/// <param name="AckMode"><c>received</c> or <c>applied</c>.</param>
/// <param name="HeldBack">Follower: entries received ahead of a missing one, not yet applied.</param>
/// <param name="LeaderUrl">Follower: <c>LEADER_URL</c>.</param>
/// <param name="CatchUp">Follower: its catch-up from the leader (state, last fetch, entries fetched, snapshots installed).</param>
/// <param name="WriteQuorum">Leader: W.</param>
/// <param name="Writes">Leader: write counters.</param>
/// <param name="Followers">Leader: per-follower progress.</param>
public sealed record StatusResponse(
    string Node,
    string Role,
    long Epoch,
    long AppliedSeq,
    string AckMode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? HeldBack = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LeaderUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] KvActors.Replication.CatchUp.CatchUpProgress? CatchUp = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? WriteQuorum = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WriteCounters? Writes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FollowerStatusResponse>? Followers = null);

/// <summary>The leader's write counters since it started.</summary>
/// <param name="Committed">Answered 200 (W acknowledgements in time).</param>
/// <param name="NotCommitted">Answered 504 (quorum not reached in time).</param>
/// <param name="InFlight">Still being delivered to some follower.</param>
public sealed record WriteCounters(long Committed, long NotCommitted, int InFlight);

/// <summary>One follower as the leader sees it.</summary>
/// <param name="Node">The follower's name.</param>
/// <param name="Url">Its base URL.</param>
/// <param name="State"><c>streaming</c>, <c>catching-up</c> or <c>unreachable</c> (see <see cref="KvActors.Replication.Leader.FollowerStatus"/>).</param>
/// <param name="AckedSeq">The highest <c>seq</c> it acknowledged.</param>
/// <param name="AppliedSeq">Its applied <c>seq</c> as last reported.</param>
/// <param name="Lag">Replication lag in entries behind the leader's last <c>seq</c>.</param>
/// <param name="LagMs">Replication lag in ms: age of the oldest entry it has not applied.</param>
/// <param name="LastError">The last delivery error, or null.</param>
public sealed record FollowerStatusResponse(string Node, string Url, KvActors.Replication.Leader.FollowerState State, long AckedSeq, long AppliedSeq, long Lag, long LagMs, string? LastError);
