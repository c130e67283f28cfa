using KvActors.Store;

namespace KvActors.Storage;

/// <summary>
/// What one <see cref="NodeStorage.Write"/> commits as a single transaction: a group commit of
/// whatever the store changed since its last batch. Its parts are written in a fixed order:
/// <see cref="Replace"/> (or <see cref="ClearLog"/>), then <see cref="Logged"/>, then <see cref="Applied"/>, then the meta
/// (<see cref="Epoch"/>, <see cref="AppliedSeq"/>).
/// </summary>
/// <remarks>Filled by one owner and handed to storage; not thread-safe.</remarks>
public sealed class StorageBatch
{
    /// <summary>
    /// When set, the stored items become this snapshot's items and the stored log is emptied,
    /// before anything else of the batch: a follower installing a snapshot, or a leader that
    /// recovered its state from the followers. Its epoch and seq are not stored from here; set
    /// <see cref="Epoch"/> and <see cref="AppliedSeq"/>.
    /// </summary>
    public StoreSnapshot? Replace { get; set; }

    /// <summary>
    /// When true (and <see cref="Replace"/> is not set), the stored log is emptied before
    /// <see cref="Logged"/> is written, the items kept: a follower that moved into a continued epoch,
    /// whose entries held back from the old one belong to a history the leader does not have.
    /// </summary>
    public bool ClearLog { get; set; }

    /// <summary>
    /// Entries added to the stored log, any order, any <c>seq</c> (a follower's held-back entries
    /// are above <see cref="AppliedSeq"/>). An entry whose <c>seq</c> is already stored is ignored;
    /// one the retention would drop at once is not written.
    /// </summary>
    public List<LogEntry> Logged { get; } = [];

    /// <summary>
    /// Entries applied to the stored items, in the order they were applied: a put sets its key to
    /// (value, <c>seq</c>), a delete removes its key. A put must carry a value.
    /// </summary>
    public List<LogEntry> Applied { get; } = [];

    /// <summary>The state's epoch after this batch.</summary>
    public long Epoch { get; set; }

    /// <summary>The state's applied <c>seq</c> after this batch: every entry up to it is in the items.</summary>
    public long AppliedSeq { get; set; }

    /// <summary>
    /// True when the batch changes neither items nor log. Writing it still records
    /// <see cref="Epoch"/> and <see cref="AppliedSeq"/> if they differ from what is stored.
    /// </summary>
    public bool IsEmpty => Replace is null && !ClearLog && Logged.Count == 0 && Applied.Count == 0;
}
