using System.Globalization;

namespace KvPerf.Cluster;

/// <summary>The environment each node of a run is started with.</summary>
public sealed partial class LocalProcessCluster
{
    /// <summary>
    /// What each node of a run gets on top of this process's environment, in start order
    /// (followers, then the leader that connects to them); a <see langword="null"/> value removes
    /// an inherited variable. Each node of a durable cluster keeps its data in a directory of its
    /// own, <c><paramref name="dataRoot"/>/NODE</c>, NODE its NODE_ID made a file name.
    /// </summary>
    /// <exception cref="ArgumentNullException">The cluster is durable and <paramref name="dataRoot"/> is null.</exception>
    internal IReadOnlyList<(string NodeId, IReadOnlyDictionary<string, string?> Environment)> NodeEnvironments(
        RunSettings settings, string? dataRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (_fsync is not null)
        {
            ArgumentNullException.ThrowIfNull(dataRoot);
        }

        var leaderUrl = ClusterEndpoints.OnLoopback(_basePort, _followers).Leader.ToString().TrimEnd('/');
        var nodes = new List<(string, IReadOnlyDictionary<string, string?>)>();
        for (var n = 1; n <= _followers; n++)
        {
            // The name the leader gives a follower when all share 127.0.0.1: host:port of its actor system.
            var nodeId = $"127.0.0.1:{AkkaPort(_basePort + n)}";
            nodes.Add((nodeId, NodeEnvironment(nodeId, "follower", _basePort + n, dataRoot, settings.FollowerEnvironment, new() { ["LEADER_URL"] = leaderUrl })));
        }

        var followerPaths = string.Join(',', Enumerable.Range(1, _followers).Select(n => $"akka.ssl.tcp://kv@127.0.0.1:{AkkaPort(_basePort + n)}/user/store"));
        nodes.Add(("leader", NodeEnvironment("leader", "leader", _basePort, dataRoot, settings.Environment, new() { ["FOLLOWERS"] = followerPaths })));
        return nodes;
    }

    private Dictionary<string, string?> NodeEnvironment(
        string nodeId, string role, int port, string? dataRoot, IReadOnlyDictionary<string, string> settings, Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // The node binds http://0.0.0.0:PORT itself; an inherited ASPNETCORE_URLS would override it.
            ["ASPNETCORE_URLS"] = null,
            ["ROLE"] = role,
            ["NODE_ID"] = nodeId,
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["AKKA_HOSTNAME"] = "127.0.0.1",
            ["AKKA_PORT"] = AkkaPort(port).ToString(CultureInfo.InvariantCulture),
            ["CLUSTER_CERTIFICATE"] = Path.Combine(CertificateDirectory, "cluster.pfx"),

            // Every node needs the same replication secret; these processes listen on this machine only.
            ["REPLICATION_TOKEN"] = "kvperf-local-replication-token",

            // Set or removed either way: a DATA_DIR inherited from the shell would give six nodes one
            // directory, and an FSYNC without DATA_DIR stops a node at start.
            ["DATA_DIR"] = dataRoot is null || _fsync is null ? null : Path.Combine(dataRoot, FileNameOf(nodeId)),
            ["FSYNC"] = _fsync?.ToEnvironmentValue(),
        };

        // The environment each role gets in docker-compose.yml, so both clusters run alike.
        foreach (var (name, value) in settings.Concat(extra))
        {
            environment[name] = value;
        }

        return environment;
    }

    // A follower's NODE_ID is host:port; ':' is no character for a file or directory name everywhere.
    private static string FileNameOf(string nodeId) => nodeId.Replace(':', '-');
}
