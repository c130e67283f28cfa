namespace KvPerf.Cluster;

/// <summary>
/// The compose cluster, started the way a user would: <c>scripts/cluster.sh</c> with the store's
/// settings in its environment. <c>start</c> returns only once all six containers are healthy;
/// each run first brings the previous cluster down, so every run starts from empty stores.
/// The host ports are fixed (leader 8000, follower N on 8000+N), which is why
/// <c>perf/experiment.sh</c> holds /tmp/kvstore-compose.lock around the whole experiment.
/// </summary>
public sealed class ComposeCluster : IClusterLauncher
{
    /// <summary>The leader's published host port; followers follow it (API.md, compose layout).</summary>
    public const int LeaderPort = 8000;

    private readonly string _clusterScript;
    private readonly string _repositoryRoot;
    private readonly int _followers;
    private readonly ScriptRunner _runner;
    private bool _started;

    /// <summary>Creates a launcher that drives <paramref name="clusterScript"/>.</summary>
    public ComposeCluster(string clusterScript, string repositoryRoot, int followers, ScriptRunner runner)
    {
        _clusterScript = clusterScript;
        _repositoryRoot = repositoryRoot;
        _followers = followers;
        _runner = runner;
    }

    /// <inheritdoc />
    public async Task PrepareAsync(CancellationToken ct)
    {
        if (!File.Exists(_clusterScript))
        {
            throw new FileNotFoundException("scripts/cluster.sh is missing; use --cluster local without Docker.", _clusterScript);
        }

        // Builds the node image once (and sets up the Docker engine and base image where missing).
        await _runner.RunAsync(_clusterScript, ["build"], _repositoryRoot, null, ct);
    }

    /// <inheritdoc />
    public async Task<ClusterEndpoints> StartAsync(RunSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _started = true;
        // Every run starts empty: the data volumes of the last one go with its containers.
        await _runner.RunAsync(_clusterScript, ["wipe"], _repositoryRoot, null, ct);
        await _runner.RunAsync(_clusterScript, ["start"], _repositoryRoot, settings.Environment, ct);
        return ClusterEndpoints.OnLoopback(LeaderPort, _followers);
    }

    /// <inheritdoc />
    public Task StopRunAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Brings the last run's cluster down.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            _started = false;
            await _runner.RunAsync(_clusterScript, ["wipe"], _repositoryRoot, null, CancellationToken.None);
        }
    }
}
