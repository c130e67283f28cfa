namespace KvPerf.Cluster;

/// <summary>
/// The compose cluster, started the way a user would: <c>scripts/cluster.sh</c> with the store's
/// settings in its environment. <c>start</c> returns only once all six containers are healthy;
/// each run first brings the previous cluster down, so every run starts from empty stores. Given
/// an fsync policy it starts the nodes with that <c>FSYNC</c> whatever the caller's shell says.
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
    private readonly FsyncPolicy? _fsync;
    private bool _started;

    /// <summary>
    /// Creates a launcher that drives <paramref name="clusterScript"/>; with <paramref name="fsync"/>
    /// <see langword="null"/> the nodes get the compose file's <c>FSYNC</c>.
    /// </summary>
    public ComposeCluster(string clusterScript, string repositoryRoot, int followers, ScriptRunner runner, FsyncPolicy? fsync = null)
    {
        _clusterScript = clusterScript;
        _repositoryRoot = repositoryRoot;
        _followers = followers;
        _runner = runner;
        _fsync = fsync;
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
        await _runner.RunAsync(_clusterScript, ["start"], _repositoryRoot, StartEnvironment(settings), ct);
        return ClusterEndpoints.OnLoopback(LeaderPort, _followers);
    }

    /// <summary>
    /// What <c>cluster.sh start</c> gets on top of this process's environment: the run's settings,
    /// which the compose file reads, and the fsync policy when there is one.
    /// </summary>
    internal IReadOnlyDictionary<string, string> StartEnvironment(RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var environment = new Dictionary<string, string>(settings.Environment, StringComparer.Ordinal);
        if (_fsync is { } fsync)
        {
            environment["FSYNC"] = fsync.ToEnvironmentValue();
        }

        return environment;
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
