namespace KvPerf.Cluster;

/// <summary>
/// A durable node's <c>FSYNC</c>, as KvHost reads it (Redis's <c>appendfsync</c>): when SQLite's
/// WAL is forced to disk. Every acknowledged write has reached the operating system under each
/// policy; they differ in what a power loss may take.
/// </summary>
public enum FsyncPolicy
{
    /// <summary><c>FSYNC=everysec</c>, KvHost's default: fsynced at least once a second.</summary>
    EverySec,

    /// <summary><c>FSYNC=always</c>: every batch of writes is on disk before it is acknowledged.</summary>
    Always,
}
