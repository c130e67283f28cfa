using KvPerf.Resources;

namespace KvPerf.Bench;

/// <summary>
/// A system the benchmark measures: kvstore as six local processes or as the compose cluster
/// (<see cref="KvStoreTarget"/>), or Redis (<see cref="Redis.RedisTarget"/>). Disposing it stops
/// whatever it started.
/// </summary>
public interface IBenchTarget : IAsyncDisposable
{
    /// <summary>The system's name in the results, one of <see cref="BenchSystems"/>'s, e.g. <c>kvstore local (memory)</c>.</summary>
    string System { get; }

    /// <summary>Once, before anything starts: build or install what it runs.</summary>
    Task PrepareAsync(CancellationToken ct);

    /// <summary>Makes the system ready for writes that wait for <paramref name="writeQuorum"/> replicas.</summary>
    Task StartAsync(int writeQuorum, CancellationToken ct);

    /// <summary>Opens one client's own connection to the node that takes writes.</summary>
    Task<IBenchConnection> ConnectAsync(CancellationToken ct);

    /// <summary>The running nodes' processes, for memory and CPU.</summary>
    Task<IReadOnlyList<NodeProcess>> NodesAsync(CancellationToken ct);
}
