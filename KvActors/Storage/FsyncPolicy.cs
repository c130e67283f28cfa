namespace KvActors.Storage;

/// <summary>
/// When a node's storage forces its writes to disk, as Redis's <c>appendfsync</c>: how much an
/// operating-system crash or power loss may take with it. A killed process loses nothing under
/// any policy, because every committed batch has been handed to the operating system by then.
/// </summary>
public enum FsyncPolicy
{
    /// <summary>
    /// Every batch is on disk before <see cref="NodeStorage.Write"/> returns: one fsync per batch,
    /// which is the group commit (SQLite <c>synchronous=FULL</c> in WAL mode). A power loss loses
    /// nothing that was written.
    /// </summary>
    Always,

    /// <summary>
    /// The default. Batches reach the operating system at once (SQLite <c>synchronous=NORMAL</c>) and
    /// are fsynced within about a second of their commit (a timer armed by the first unsynced
    /// batch), so a power loss loses at most about the last second.
    /// </summary>
    EverySec,

    /// <summary>
    /// Never fsync (SQLite <c>synchronous=OFF</c>): the operating system writes back when it chooses,
    /// so a power loss may lose tens of seconds and, with checkpoints unsynced, damage the file.
    /// </summary>
    No,
}
