namespace KvPerf.Cluster;

/// <summary>
/// Starts a fresh six-node cluster per run and tears it down: the compose cluster (the way a user
/// runs it) or six local processes (where no Docker engine is there). Two implementations, chosen
/// by <c>--cluster</c>.
/// </summary>
public interface IClusterLauncher : IAsyncDisposable
{
    /// <summary>Once, before the first run: build what the runs start.</summary>
    Task PrepareAsync(CancellationToken ct);

    /// <summary>
    /// Starts a fresh cluster (empty stores, seq from 1) with <paramref name="settings"/> and
    /// returns once all six nodes answer <c>GET /health</c>.
    /// </summary>
    Task<ClusterEndpoints> StartAsync(RunSettings settings, CancellationToken ct);

    /// <summary>After a run: stop its cluster, or leave that to the next start.</summary>
    Task StopRunAsync(CancellationToken ct);
}
