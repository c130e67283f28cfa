namespace KvActors.Replication.CatchUp;

/// <summary>A follower's catch-up as its <c>/status</c> shows it.</summary>
/// <param name="State">Where the catch-up stands.</param>
/// <param name="LastSyncAt">When the last fetch from the leader succeeded, or null.</param>
/// <param name="LastError">Why the last fetch failed, or null when it succeeded.</param>
/// <param name="EntriesFetched">Entries fetched from the leader's backlog since start (partial resyncs).</param>
/// <param name="SnapshotsInstalled">Snapshots installed since start (full resyncs).</param>
/// <param name="CatchUps">Syncs with the leader since start that brought something (entries or a snapshot); a check that found this follower up to date does not count.</param>
public sealed record CatchUpProgress(CatchUpState State, DateTimeOffset? LastSyncAt, string? LastError, long EntriesFetched, long SnapshotsInstalled, long CatchUps);
