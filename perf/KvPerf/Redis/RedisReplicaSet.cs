using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using KvPerf.Cluster;
using KvPerf.Resources;
using StackExchange.Redis;

namespace KvPerf.Redis;

/// <summary>
/// Redis as the benchmark's yardstick: Debian's <c>redis-server</c> (installed by
/// <c>scripts/ensure-redis.sh</c> where missing) as a master and its replicas on consecutive
/// loopback ports, in memory only (<c>--save "" --appendonly no</c>), each its own child process
/// with its log and working folder under the run's log folder. Stopped (killed: there is nothing
/// to save) by <see cref="StopAsync"/> or on dispose, so also on Ctrl-C and on failure.
/// </summary>
public sealed class RedisReplicaSet : IAsyncDisposable
{
    private static readonly TimeSpan SyncBound = TimeSpan.FromSeconds(30);

    private readonly string _ensureScript;
    private readonly string _repositoryRoot;
    private readonly int _basePort;
    private readonly int _replicas;
    private readonly string _workDirectory;
    private readonly ScriptRunner _runner;
    private readonly List<(string Name, Process Process)> _nodes = [];
    private string? _binary;

    /// <summary>
    /// Creates a replica set with its master on <paramref name="basePort"/> and replica N on
    /// basePort + N, logging under <paramref name="workDirectory"/>.
    /// </summary>
    public RedisReplicaSet(string ensureScript, string repositoryRoot, int basePort, int replicas, string workDirectory, ScriptRunner runner)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(replicas);
        _ensureScript = ensureScript;
        _repositoryRoot = repositoryRoot;
        _basePort = basePort;
        _replicas = replicas;
        _workDirectory = workDirectory;
        _runner = runner;
    }

    /// <summary>The master's address, <c>127.0.0.1:PORT</c>: where every write goes.</summary>
    public string Master => $"127.0.0.1:{_basePort}";

    /// <summary>The replicas' addresses, replica 1 first.</summary>
    public IReadOnlyList<string> ReplicaAddresses =>
        Enumerable.Range(1, _replicas).Select(n => $"127.0.0.1:{_basePort + n}").ToArray();

    /// <summary><c>redis-server --version</c>'s line, once <see cref="PrepareAsync"/> has run.</summary>
    public string? Version { get; private set; }

    /// <summary>Whether the master and replicas run.</summary>
    public bool IsRunning => _nodes.Count > 0;

    /// <summary>The running master and replicas, as the benchmark meters them.</summary>
    public IReadOnlyList<NodeProcess> Nodes =>
        _nodes.Where(n => !n.Process.HasExited).Select(n => new NodeProcess(n.Name, n.Process.Id, null)).ToArray();

    /// <summary>Installs redis-server where it is missing (needs root) and finds the binary.</summary>
    /// <exception cref="InvalidOperationException">It is missing and could not be installed.</exception>
    public async Task PrepareAsync(CancellationToken ct)
    {
        var output = await _runner.ReadOutputAsync(_ensureScript, [], _repositoryRoot, ct);
        _binary = output.LastOrDefault(l => l.Length > 0)
            ?? throw new InvalidOperationException($"{_ensureScript} printed no redis-server path.");
        Version = (await _runner.ReadOutputAsync(_binary, ["--version"], _repositoryRoot, ct)).FirstOrDefault();
    }

    /// <summary>
    /// Starts the master and the replicas, empty, and returns once every replica has finished its
    /// first sync with the master (so the first WAIT does not wait for a full resync).
    /// </summary>
    /// <exception cref="InvalidOperationException">A port is taken, or a node exited at start.</exception>
    /// <exception cref="TimeoutException">The replicas did not all sync within 30 s.</exception>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_binary is null)
        {
            throw new InvalidOperationException("PrepareAsync must run before StartAsync.");
        }

        if (IsRunning)
        {
            return;
        }

        // Never kill what this program did not start: a taken port is reported, not cleared.
        foreach (var port in Enumerable.Range(_basePort, _replicas + 1))
        {
            if (await IsListeningAsync(port, ct))
            {
                throw new InvalidOperationException(
                    $"Port {port} is taken (a redis-server left from an interrupted run? `redis-cli -p {port} shutdown nosave` stops it).");
            }
        }

        Launch("redis-master", _basePort, []);
        for (var n = 1; n <= _replicas; n++)
        {
            Launch($"redis-replica{n}", _basePort + n, ["--replicaof", "127.0.0.1", _basePort.ToString(CultureInfo.InvariantCulture)]);
        }

        await WaitUntilReplicasSyncedAsync(ct);
    }

    /// <summary>Kills every node this set started and waits until they are gone.</summary>
    public Task StopAsync()
    {
        foreach (var (_, process) in _nodes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }

            process.Dispose();
        }

        _nodes.Clear();
        return Task.CompletedTask;
    }

    /// <summary>Stops the nodes.</summary>
    public async ValueTask DisposeAsync() => await StopAsync();

    private void Launch(string name, int port, string[] extra)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_workDirectory, name)).FullName;
        var start = new ProcessStartInfo(_binary!)
        {
            WorkingDirectory = directory,
            // redis-server writes to its log file only; a redirected stdout keeps the progress bar clean.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", directory, "--logfile", Path.Combine(directory, "redis.log"),
            // Stream the first sync instead of waiting 5 s (Redis 7's default) for more replicas to join.
            "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0",
            .. extra,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _nodes.Add((name, process));
    }

    private async Task WaitUntilReplicasSyncedAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(SyncBound.TotalSeconds * Stopwatch.Frequency);
        var lastInfo = "";
        while (true)
        {
            var exited = _nodes.FirstOrDefault(n => n.Process.HasExited);
            if (exited.Process is not null)
            {
                throw new InvalidOperationException(
                    $"{exited.Name} exited at start (code {exited.Process.ExitCode}); see {Path.Combine(_workDirectory, exited.Name, "redis.log")}.");
            }

            lastInfo = await TryReadReplicationInfoAsync() ?? lastInfo;
            if (CountOnlineReplicas(lastInfo) == _replicas && await AllReplicasAcknowledgeAsync())
            {
                return;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The Redis replicas did not all sync within {SyncBound.TotalSeconds} s; master said:\n{lastInfo}");
            }

            await Task.Delay(100, ct);
        }
    }

    private async Task<string?> TryReadReplicationInfoAsync()
    {
        try
        {
            await using var admin = await ConnectAdminAsync();
            return await admin.GetServer(Master).InfoRawAsync("replication");
        }
        catch (RedisConnectionException)
        {
            return null; // the master is not listening yet
        }
    }

    /// <summary>
    /// A replica just synced is "online" on the master before it acknowledges anything: the first
    /// WAIT then waits for its once-a-second REPLCONF ACK. One write waited for
    /// by every replica, then deleted, gets that out of the way, so the first case's warm-up is
    /// not what absorbs it.
    /// </summary>
    private async Task<bool> AllReplicasAcknowledgeAsync()
    {
        const string probe = "kvbench:ready";
        await using var admin = await ConnectAdminAsync();
        var database = admin.GetDatabase();
        await database.StringSetAsync(probe, "1");
        var reached = (long)await database.ExecuteAsync("WAIT", _replicas, 2000);
        await database.KeyDeleteAsync(probe);
        return reached >= _replicas;
    }

    private Task<ConnectionMultiplexer> ConnectAdminAsync() =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { Master },
            AllowAdmin = true,
            ConnectTimeout = 1000,
            AbortOnConnectFail = true,
        });

    /// <summary>Replicas the master lists as <c>state=online</c> in <c>INFO replication</c>.</summary>
    internal static int CountOnlineReplicas(string replicationInfo) =>
        replicationInfo.Split('\n')
            .Count(l => l.StartsWith("slave", StringComparison.Ordinal) && l.Contains("state=online", StringComparison.Ordinal));

    private static async Task<bool> IsListeningAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
