using KvPerf.Cluster;

namespace KvPerf.Bench;

/// <summary>
/// The systems <c>bench</c> measures: the <c>--targets</c> word that asks for each, and the name
/// the results file, the tables and the chart show it by. Each kvstore name says where its data
/// lives, in memory or on disk with its <c>FSYNC</c> policy, since that is what its figures pay for.
/// </summary>
public static class BenchSystems
{
    /// <summary>Six local KvHost processes keeping their data in memory only.</summary>
    public const string LocalMemory = "kvstore local (memory)";

    /// <summary>The same six processes, durable with <c>FSYNC=everysec</c>.</summary>
    public const string LocalEverySec = "kvstore local (everysec)";

    /// <summary>The same six processes, durable with <c>FSYNC=always</c>.</summary>
    public const string LocalAlways = "kvstore local (always)";

    /// <summary>The compose cluster, whose nodes are durable with <c>FSYNC=everysec</c>.</summary>
    public const string Compose = "kvstore compose (everysec)";

    /// <summary>Redis 7, a master and five replicas without persistence: every ratio to Redis divides by it.</summary>
    public const string Redis = "redis";

    /// <summary>The system name of a <c>--targets</c> word.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not one of <see cref="Cli.BenchSettings.KnownTargets"/>.</exception>
    public static string Of(string target) => target switch
    {
        "local" => LocalMemory,
        "local-everysec" => LocalEverySec,
        "local-always" => LocalAlways,
        "compose" => Compose,
        "redis" => Redis,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Not a bench target."),
    };

    /// <summary>
    /// How a local target's nodes keep their data: <see langword="null"/> for in memory, else
    /// durable with that policy.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a local target.</exception>
    public static FsyncPolicy? LocalFsyncOf(string target) => target switch
    {
        "local" => null,
        "local-everysec" => FsyncPolicy.EverySec,
        "local-always" => FsyncPolicy.Always,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Not a local bench target."),
    };

    /// <summary>
    /// The in-memory system a durable one is compared with, the same processes on the same
    /// machine so that only the disk differs: <see cref="LocalMemory"/> for the durable local
    /// systems, <see langword="null"/> for the rest (compose runs in containers, so its gap to
    /// local memory is not the disk's alone).
    /// </summary>
    public static string? InMemoryCounterpartOf(string system) =>
        system is LocalEverySec or LocalAlways ? LocalMemory : null;
}
