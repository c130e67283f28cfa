namespace KvActors.Replication.Leader;

/// <summary>
/// What the write coordinator publishes for readers outside its mailbox: its latest immutable
/// <see cref="LeaderStatus"/>, as <see cref="Store.StoreView"/> publishes the store's data. The
/// metrics' gauges read it at every scrape without asking the coordinator anything.
/// </summary>
/// <remarks>
/// Written only by the coordinator, on its publish timer (every <see cref="WriteCoordinator.StatusInterval"/>)
/// and whenever it answers <c>/status</c>; read from any thread, hence Volatile on both sides. Publishing
/// on a timer rather than on every acknowledgement keeps the write path free of allocations for it: the
/// price is a status up to one interval old, which a dashboard scraping every few seconds does not see.
/// </remarks>
public sealed class LeaderStatusView
{
    private LeaderStatus? _current;

    /// <summary>The latest published status, or null before the coordinator first published one.</summary>
    public LeaderStatus? Current => Volatile.Read(ref _current);

    /// <summary>Publishes a status; called by the write coordinator only.</summary>
    /// <param name="status">The coordinator's status now.</param>
    internal void Publish(LeaderStatus status) => Volatile.Write(ref _current, status);
}
