using KvActors.Storage;

namespace KvHost.Hosting;

/// <summary>
/// Where and how a durable node keeps its data (<c>DATA_DIR</c> set). Without it a node keeps its data
/// in memory only, as before: a restarted follower resyncs, a restarted leader recovers from its
/// followers, and all six stopped lose everything.
/// </summary>
/// <param name="DataDirectory">
/// <c>DATA_DIR</c>: an absolute path; the node keeps <c>kvstore.db</c> (SQLite, WAL mode) and its
/// <c>-wal</c> file there, created when missing. One directory per node.
/// </param>
/// <param name="Fsync">
/// <c>FSYNC</c>: <c>always</c>, <c>everysec</c> (default) or <c>no</c>, Redis's <c>appendfsync</c>.
/// Every write reaches the operating system before it is acknowledged, so a killed process loses
/// nothing with any of them; they differ on a power loss (README "Guarantees").
/// </param>
public sealed record StorageSettings(string DataDirectory, FsyncPolicy Fsync);
