using System.Globalization;

namespace KvPerf.Restart;

/// <summary>
/// The six nodes of a restart run and the environment each starts with: the local cluster's layout
/// (consecutive loopback ports, each actor system 100 ports above its HTTP port, followers named by
/// their actor system's host:port as the leader names them) with a data directory per node, and
/// the settings of docker-compose.yml for a durable cluster, W = 5.
/// </summary>
public sealed class RestartTopology
{
    /// <summary>Followers in the cluster, as in compose.</summary>
    public const int Followers = 5;

    /// <summary>W: a write waits for every follower, so the first write proves all five are back.</summary>
    public const int WriteQuorum = 5;

    /// <summary>FSYNC of every node: compose's default.</summary>
    public const string Fsync = "everysec";

    /// <summary>ACK_MODE of every node: compose's default.</summary>
    public const string AckMode = "received";

    // Every node needs the same replication secret; these processes listen on this machine only.
    private const string ReplicationToken = "kvperf-restart-replication-token";

    private readonly string _certificatePath;

    /// <summary>Lays out the six nodes.</summary>
    /// <param name="basePort">The leader's HTTP port; follower N gets base + N.</param>
    /// <param name="dataRoot">The folder holding one data directory per node, named after it (<c>leader</c>, <c>follower1</c>…).</param>
    /// <param name="certificatePath">The cluster certificate (<c>docker/certs/cluster.pfx</c>).</param>
    public RestartTopology(int basePort, string dataRoot, string certificatePath)
    {
        _certificatePath = certificatePath;
        Leader = new NodeSpec("leader", "leader", basePort, Path.Combine(dataRoot, "leader"));
        Nodes =
        [
            Leader,
            .. Enumerable.Range(1, Followers).Select(n => new NodeSpec(
                $"127.0.0.1:{AkkaPort(basePort + n)}", "follower", basePort + n, Path.Combine(dataRoot, $"follower{n}"))),
        ];
    }

    /// <summary>The leader.</summary>
    public NodeSpec Leader { get; }

    /// <summary>The leader, then follower 1 to 5.</summary>
    public IReadOnlyList<NodeSpec> Nodes { get; }

    /// <summary>The followers, in order.</summary>
    public IEnumerable<NodeSpec> FollowerNodes => Nodes.Skip(1);

    /// <summary>The environment <paramref name="node"/> starts with, on top of this process's own.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(NodeSpec node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ROLE"] = node.Role,
            ["NODE_ID"] = node.NodeId,
            ["PORT"] = Text(node.Port),
            ["AKKA_HOSTNAME"] = "127.0.0.1",
            ["AKKA_PORT"] = Text(AkkaPort(node.Port)),
            ["CLUSTER_CERTIFICATE"] = _certificatePath,
            ["REPLICATION_TOKEN"] = ReplicationToken,
            ["ACK_MODE"] = AckMode,
            ["DATA_DIR"] = Path.GetFullPath(node.DataDirectory),
            ["FSYNC"] = Fsync,
        };
        if (node == Leader)
        {
            environment["FOLLOWERS"] = string.Join(',', FollowerNodes.Select(f => $"akka.ssl.tcp://kv@127.0.0.1:{AkkaPort(f.Port)}/user/store"));
            environment["WRITE_QUORUM"] = Text(WriteQuorum);

            // No simulated replication lag: the figures are of the restart, not of compose's default 0-1000 ms.
            environment["MIN_DELAY_MS"] = "0";
            environment["MAX_DELAY_MS"] = "0";
        }
        else
        {
            environment["LEADER_URL"] = Leader.BaseUri.ToString().TrimEnd('/');
        }

        return environment;
    }

    private static int AkkaPort(int httpPort) => httpPort + 100;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
