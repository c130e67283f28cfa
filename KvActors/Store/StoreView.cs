namespace KvActors.Store;

/// <summary>
/// What the store actor publishes for readers outside its mailbox: the latest immutable
/// <see cref="StoreSnapshot"/> and, on a follower, how many entries wait and for which epoch.
/// </summary>
/// <remarks>
/// Written only by the store actor after each change, read from request threads and the catch-up:
/// hence Volatile on both sides. Reads therefore never queue behind writes, and always see a state
/// at one <c>seq</c>. A reader may see the snapshot and the counts of two neighbouring changes;
/// the counts are for monitoring and for deciding when to catch up, where that is harmless.
/// </remarks>
public sealed class StoreView
{
    private StoreSnapshot _current = StoreSnapshot.Empty(0);
    private int _waitingCount;
    private long _pendingEpoch;

    /// <summary>The latest published state; never torn.</summary>
    public StoreSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Follower: entries held back behind a gap or pending a newer epoch's snapshot (for <c>/status</c>).</summary>
    public int HeldBackCount => Volatile.Read(ref _waitingCount);

    /// <summary>
    /// Follower: the newer leader epoch whose entries wait for a resync, or 0. Non-zero means the
    /// catch-up should fetch a snapshot now.
    /// </summary>
    public long PendingEpoch => Volatile.Read(ref _pendingEpoch);

    /// <summary>Publishes a change; called by the store actor only.</summary>
    /// <param name="current">The new state.</param>
    /// <param name="waitingCount">Entries waiting after it.</param>
    /// <param name="pendingEpoch">The epoch they wait for, or 0.</param>
    internal void Publish(StoreSnapshot current, int waitingCount = 0, long pendingEpoch = 0)
    {
        Volatile.Write(ref _waitingCount, waitingCount);
        Volatile.Write(ref _pendingEpoch, pendingEpoch);
        Volatile.Write(ref _current, current);
    }
}
