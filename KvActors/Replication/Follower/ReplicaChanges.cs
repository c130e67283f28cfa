using KvActors.Store;

namespace KvActors.Replication.Follower;

/// <summary>
/// What a follower's replica changed while it took some messages, in the order a disk must take
/// it: an installed snapshot first (it replaces everything), then the entries applied on top, and
/// the entries now held back behind a gap.
/// </summary>
public sealed class ReplicaChanges
{
    private readonly List<LogEntry> _applied = [];
    private readonly List<LogEntry> _heldBack = [];

    /// <summary>No change: what an in-memory replica always reports.</summary>
    public static readonly ReplicaChanges None = new();

    /// <summary>The snapshot installed, if one was: the state before <see cref="Applied"/>.</summary>
    public StoreSnapshot? Snapshot { get; private set; }

    /// <summary>Entries applied, oldest first (after <see cref="Snapshot"/> when there is one).</summary>
    public IReadOnlyList<LogEntry> Applied => _applied;

    /// <summary>Entries newly held back behind a missing one, of the applied state's epoch.</summary>
    public IReadOnlyList<LogEntry> HeldBack => _heldBack;

    /// <summary>True when the replica moved into a new epoch that continues its own (no snapshot): the stored log must be emptied of the old epoch's held-back entries.</summary>
    public bool EpochContinued { get; private set; }

    /// <summary>True when nothing changed.</summary>
    public bool IsEmpty => Snapshot is null && !EpochContinued && Applied.Count == 0 && HeldBack.Count == 0;

    /// <summary>
    /// Records an installed snapshot: what was applied before it no longer matters, and every entry
    /// still held back after it must be stored again, since storing a snapshot empties the stored log.
    /// </summary>
    /// <param name="snapshot">The installed snapshot.</param>
    /// <param name="heldBack">The entries held back after it.</param>
    internal void Installed(StoreSnapshot snapshot, IEnumerable<LogEntry> heldBack)
    {
        Snapshot = snapshot;
        _applied.Clear();
        _heldBack.Clear();
        _heldBack.AddRange(heldBack);
    }

    /// <summary>
    /// Records a move into a continued epoch: the stored items stay, the stored epoch changes with the
    /// batch, and the entries held back now are all that the stored log should hold.
    /// </summary>
    /// <param name="heldBack">The entries held back in the new epoch.</param>
    internal void Continued(IEnumerable<LogEntry> heldBack)
    {
        EpochContinued = true;
        _heldBack.Clear();
        _heldBack.AddRange(heldBack);
    }

    internal void AddApplied(LogEntry entry) => _applied.Add(entry);

    internal void AddHeldBack(LogEntry entry) => _heldBack.Add(entry);
}
