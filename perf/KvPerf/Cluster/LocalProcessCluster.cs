using System.Diagnostics;
using KvPerf.Client;

namespace KvPerf.Cluster;

/// <summary>
/// Six KvHost processes on this machine (a leader and five followers on consecutive loopback
/// ports, 9100..9105 by default so as not to clash with the compose cluster's 8000..8005), for
/// when no Docker engine is there. Each run starts fresh processes and kills them afterwards. Their
/// stores live in memory, or, given an fsync policy, each node keeps its data in a directory of its
/// own (<c>DATA_DIR</c>) made for the run and deleted after it, so every run starts from empty
/// stores either way. Each node's output goes to its own log file.
/// </summary>
public sealed partial class LocalProcessCluster : IClusterLauncher
{
    private static readonly TimeSpan HealthBound = TimeSpan.FromSeconds(30);

    private readonly string? _kvHostPath;
    private readonly string _repositoryRoot;
    private readonly int _basePort;
    private readonly int _followers;
    private readonly string _logDirectory;
    private readonly ScriptRunner _runner;
    private readonly FsyncPolicy? _fsync;
    private readonly List<(string NodeId, Process Process, StreamWriter Log)> _nodes = [];
    private int _run;
    private string? _dataRoot;

    /// <summary>
    /// Creates a launcher. With <paramref name="kvHostPath"/> <see langword="null"/> it builds
    /// KvHost in Release once and runs <c>KvHost/bin/Release/net10.0/KvHost</c>. With
    /// <paramref name="fsync"/> <see langword="null"/> the nodes keep their data in memory only;
    /// with a policy they are durable nodes (<c>DATA_DIR</c>, <c>FSYNC</c>).
    /// </summary>
    public LocalProcessCluster(
        string? kvHostPath, string repositoryRoot, int basePort, int followers, string logDirectory, ScriptRunner runner,
        FsyncPolicy? fsync = null)
    {
        _kvHostPath = kvHostPath;
        _repositoryRoot = repositoryRoot;
        _basePort = basePort;
        _followers = followers;
        _logDirectory = logDirectory;
        _runner = runner;
        _fsync = fsync;
    }

    /// <summary>
    /// The current run's nodes as (NODE_ID, process id), leader last: what the benchmark reads
    /// memory and CPU time of in /proc. Empty between runs.
    /// </summary>
    public IReadOnlyList<(string NodeId, int Pid)> RunningNodes =>
        _nodes.Where(n => !n.Process.HasExited).Select(n => (n.NodeId, n.Process.Id)).ToArray();

    /// <summary>
    /// The parent of the current run's data directories, one per node, while a durable run has
    /// them: made when the run starts, deleted when it stops.
    /// </summary>
    internal string? DataRoot => _dataRoot;

    private string Binary => _kvHostPath ?? Path.Combine(_repositoryRoot, "KvHost", "bin", "Release", "net10.0", "KvHost");

    private string CertificateDirectory => Path.Combine(_repositoryRoot, "docker", "certs");

    // Each node's actor system listens 100 ports above its HTTP port (9200..9205 by default).
    private int AkkaPort(int httpPort) => httpPort + 100;

    /// <inheritdoc />
    public async Task PrepareAsync(CancellationToken ct)
    {
        if (_kvHostPath is null)
        {
            await _runner.RunAsync("dotnet", ["build", "KvHost/KvHost.csproj", "-c", "Release", "--nologo", "-v", "q"], _repositoryRoot, null, ct);
        }

        if (!File.Exists(Binary))
        {
            throw new FileNotFoundException("The KvHost binary is missing.", Binary);
        }

        // The nodes talk Akka.Remote over mutual TLS with the cluster certificate, as in compose.
        await _runner.RunAsync("bash", [Path.Combine("scripts", "cluster-cert.sh"), CertificateDirectory], _repositoryRoot, null, ct);
    }

    /// <inheritdoc />
    public async Task<ClusterEndpoints> StartAsync(RunSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _run++;
        var endpoints = ClusterEndpoints.OnLoopback(_basePort, _followers);
        if (_fsync is not null)
        {
            _dataRoot = Directory.CreateTempSubdirectory("kvperf-data-").FullName;
        }

        foreach (var (nodeId, environment) in NodeEnvironments(settings, _dataRoot))
        {
            if (environment.GetValueOrDefault("DATA_DIR") is { } dataDirectory)
            {
                Directory.CreateDirectory(dataDirectory);
            }

            Launch(nodeId, environment);
        }

        await WaitHealthyAsync(new[] { endpoints.Leader }.Concat(endpoints.Followers), ct);
        return endpoints;
    }

    /// <inheritdoc />
    public Task StopRunAsync(CancellationToken ct)
    {
        foreach (var (_, node, log) in _nodes)
        {
            try
            {
                if (!node.HasExited)
                {
                    node.Kill(entireProcessTree: true);
                }

                // Waits for the output pipes to drain too, so the log is complete before it closes.
                node.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill: nothing left to stop.
            }

            node.Dispose();
            lock (log)
            {
                log.Dispose();
            }
        }

        _nodes.Clear();

        // Every node has exited (WaitForExit above), so no SQLite file is open any more.
        if (_dataRoot is not null)
        {
            if (Directory.Exists(_dataRoot))
            {
                Directory.Delete(_dataRoot, recursive: true);
            }

            _dataRoot = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>Kills any node still running and deletes its data directory.</summary>
    public async ValueTask DisposeAsync() => await StopRunAsync(CancellationToken.None);

    private void Launch(string nodeId, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = Path.GetDirectoryName(Binary)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var log = new StreamWriter(Path.Combine(_logDirectory, $"run{_run:00}-{FileNameOf(nodeId)}.log")) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _nodes.Add((nodeId, process, log));
    }

    private async Task WaitHealthyAsync(IEnumerable<Uri> nodes, CancellationToken ct)
    {
        // A client of its own with a short timeout: a node that accepts but hangs is "not yet".
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(HealthBound.TotalSeconds * Stopwatch.Frequency);
        foreach (var node in nodes)
        {
            var client = new KvClient(http, node);
            while (!await client.IsHealthyAsync(ct))
            {
                var exited = _nodes.Select(n => n.Process).FirstOrDefault(p => p.HasExited);
                if (exited is not null)
                {
                    throw new InvalidOperationException(
                        $"A KvHost node exited at start (code {exited.ExitCode}); see the logs in {_logDirectory}.");
                }

                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"{node} did not answer /health within {HealthBound.TotalSeconds} s; logs in {_logDirectory}.");
                }

                await Task.Delay(100, ct);
            }
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        // Both pipes write here from pool threads; a line arriving after StopRunAsync closed the
        // log (a kill racing the reader) is dropped.
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
