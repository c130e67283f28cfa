namespace KvActors.Replication.Follower;

/// <summary>A follower's catch-up as its <c>/status</c> shows it.</summary>
/// <param name="State"><see cref="Starting"/>, <see cref="Synced"/> or <see cref="LeaderUnreachable"/>.</param>
/// <param name="LastSyncAt">When the last fetch from the leader succeeded, or null.</param>
/// <param name="LastError">Why the last fetch failed, or null when it succeeded.</param>
/// <param name="EntriesFetched">Entries fetched from the leader's backlog since start (partial resyncs).</param>
/// <param name="SnapshotsInstalled">Snapshots installed since start (full resyncs).</param>
public sealed record CatchUpProgress(string State, DateTimeOffset? LastSyncAt, string? LastError, long EntriesFetched, long SnapshotsInstalled)
{
    /// <summary>Not yet in touch with the leader since this follower started.</summary>
    public const string Starting = "starting";

    /// <summary>The last fetch from the leader succeeded.</summary>
    public const string Synced = "synced";

    /// <summary>The last fetch from the leader failed; it is retried with backoff.</summary>
    public const string LeaderUnreachable = "leader-unreachable";
}
