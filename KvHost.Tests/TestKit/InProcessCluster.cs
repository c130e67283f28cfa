using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using KvActors.Replication.Follower;
using KvHost.Hosting;
using Microsoft.AspNetCore.Builder;

namespace KvHost.Tests.TestKit;

/// <summary>
/// A real cluster in this process: a leader and N followers, each a full <see cref="KvNode"/> on its
/// own Kestrel listener on 127.0.0.1, talking real HTTP and JSON to each other, configured through
/// the same environment variables as the compose file. Nodes can be stopped and restarted on the
/// same port, empty as a container restart leaves them, or with their data when started with a
/// <c>dataRoot</c> (one <c>DATA_DIR</c> per node under it). <c>environmentName</c> runs every node as
/// <c>Development</c> or <c>Production</c>, whatever <c>ASPNETCORE_ENVIRONMENT</c> says, since bad input
/// must get the same 4xx in both.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    public const string Token = "in-process-replication-token";

    private readonly Dictionary<string, string?> _leaderEnvironment;
    private readonly Dictionary<string, string?>[] _followerEnvironments;
    private readonly WebApplication?[] _followers;
    private readonly string? _environmentName;
    private WebApplication? _leader;

    private InProcessCluster(Uri leader, IReadOnlyList<Uri> followers, Dictionary<string, string?> leaderEnvironment, Dictionary<string, string?>[] followerEnvironments, string? environmentName)
    {
        _environmentName = environmentName;
        Leader = leader;
        Followers = followers;
        _leaderEnvironment = leaderEnvironment;
        _followerEnvironments = followerEnvironments;
        _followers = new WebApplication?[followers.Count];
    }

    public Uri Leader { get; }

    public IReadOnlyList<Uri> Followers { get; }

    /// <summary>The remote actor path of each follower's store, as the leader's <c>FOLLOWERS</c> names it.</summary>
    public IReadOnlyList<Akka.Actor.ActorPath> FollowerStores =>
        [.. _leaderEnvironment["FOLLOWERS"]!.Split(',').Select(p => Akka.Actor.ActorPath.Parse(p))];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The running leader's services (its endpoints, its settings), for specs that inspect the node itself.</summary>
    public IServiceProvider LeaderServices => (_leader ?? throw new InvalidOperationException("the leader is stopped")).Services;

    /// <summary>Follower <paramref name="index"/>'s services (0-based), while it runs.</summary>
    public IServiceProvider FollowerServices(int index) => (_followers[index] ?? throw new InvalidOperationException($"follower {index} is stopped")).Services;

    public static async Task<InProcessCluster> StartAsync(
        int followers = 5, int writeQuorum = 3, int maxDelayMs = 20, int minDelayMs = 0, AckMode ackMode = AckMode.Received, int timeoutMs = 5000, int maxValueBytes = 1_048_576,
        int catchUpAfterMs = 500, int replicationLogEntries = 100_000, string? environmentName = null, int maxWritesInFlight = 4096, string? dataRoot = null, string fsync = "everysec")
    {
        // Ports are chosen up front because each node's settings name the others' URLs and actor paths.
        var ports = Enumerable.Range(0, followers + 1).Select(_ => FreePort()).ToList();
        var akkaPorts = Enumerable.Range(0, followers + 1).Select(_ => FreePort()).ToList();
        var leader = new Uri($"http://127.0.0.1:{ports[0]}");
        var followerUrls = ports.Skip(1).Select(p => new Uri($"http://127.0.0.1:{p}")).ToList();
        var common = new Dictionary<string, string?>
        {
            ["REPLICATION_TOKEN"] = Token,
            ["CLUSTER_CERTIFICATE"] = TestCertificates.Cluster,
            ["AKKA_HOSTNAME"] = "127.0.0.1",
            ["ACK_MODE"] = ackMode.ToString(),
            ["REPLICATION_TIMEOUT_MS"] = Invariant(timeoutMs),
            ["MAX_VALUE_BYTES"] = Invariant(maxValueBytes),
        };
        var leaderEnvironment = new Dictionary<string, string?>(common)
        {
            ["ROLE"] = "leader",
            ["NODE_ID"] = "leader",
            ["PORT"] = Invariant(ports[0]),
            ["AKKA_PORT"] = Invariant(akkaPorts[0]),
            ["FOLLOWERS"] = string.Join(',', akkaPorts.Skip(1).Select(p => $"akka.ssl.tcp://kv@127.0.0.1:{p}/user/store")),
            ["WRITE_QUORUM"] = Invariant(writeQuorum),
            ["MIN_DELAY_MS"] = Invariant(minDelayMs),
            ["MAX_DELAY_MS"] = Invariant(maxDelayMs),
            ["REPLICATION_LOG_ENTRIES"] = Invariant(replicationLogEntries),
            ["MAX_WRITES_IN_FLIGHT"] = Invariant(maxWritesInFlight),
        };
        var followerEnvironments = followerUrls.Select((url, i) => new Dictionary<string, string?>(common)
        {
            ["ROLE"] = "follower",
            // The name the leader gives it: its actor path's host and port, since all hosts are 127.0.0.1.
            ["NODE_ID"] = $"127.0.0.1:{akkaPorts[i + 1]}",
            ["PORT"] = Invariant(url.Port),
            ["AKKA_PORT"] = Invariant(akkaPorts[i + 1]),
            ["LEADER_URL"] = leader.ToString(),
            ["CATCH_UP_AFTER_MS"] = Invariant(catchUpAfterMs),
        }).ToArray();

        if (dataRoot is not null)
        {
            // Durable nodes: one DATA_DIR each, which a restart on the same port finds again.
            leaderEnvironment["DATA_DIR"] = Path.Combine(dataRoot, "leader");
            leaderEnvironment["FSYNC"] = fsync;
            for (var i = 0; i < followerEnvironments.Length; i++)
            {
                followerEnvironments[i]["DATA_DIR"] = Path.Combine(dataRoot, $"follower{i + 1}");
                followerEnvironments[i]["FSYNC"] = fsync;
            }
        }

        var cluster = new InProcessCluster(leader, followerUrls, leaderEnvironment, followerEnvironments, environmentName);
        for (var i = 0; i < followers; i++)
        {
            await cluster.StartFollowerAsync(i);
        }

        await cluster.StartLeaderAsync();
        return cluster;
    }

    public async Task<HttpResponseMessage> PutAsync(string key, object value, Uri? node = null) =>
        await Http.PutAsJsonAsync(new Uri(node ?? Leader, $"/kv/{Uri.EscapeDataString(key)}"), new { value });

    public async Task<JsonElement> GetJsonAsync(Uri node, string path) =>
        await Http.GetFromJsonAsync<JsonElement>(new Uri(node, path));

    /// <summary>Waits until every follower's <c>GET /kv</c> equals the leader's.</summary>
    public Task AssertConvergedAsync(TimeSpan within) => ClusterAssertions.AssertConvergedAsync(Http, Leader, Followers, within);

    /// <summary>Stops follower <paramref name="index"/> (0-based): its port then refuses connections.</summary>
    public async Task StopFollowerAsync(int index)
    {
        await StopAsync(_followers[index]);
        _followers[index] = null;
    }

    /// <summary>Starts follower <paramref name="index"/> again on its port, empty as a restarted container (or from its <c>DATA_DIR</c>).</summary>
    public async Task StartFollowerAsync(int index)
    {
        var app = KvNode.Build(NodeSettings.FromEnvironment(_followerEnvironments[index]), IPAddress.Loopback, environmentName: _environmentName);
        await app.StartAsync();
        _followers[index] = app;
    }

    /// <summary>Stops the leader: its data is gone, as after a crash of a node without persistence (unless it has a <c>DATA_DIR</c>).</summary>
    public async Task StopLeaderAsync()
    {
        await StopAsync(_leader);
        _leader = null;
    }

    /// <summary>
    /// Starts the leader (again) and, unless <paramref name="waitUntilReady"/> is false, waits until it
    /// has recovered and takes writes.
    /// </summary>
    public async Task StartLeaderAsync(bool waitUntilReady = true)
    {
        _leader = KvNode.Build(NodeSettings.FromEnvironment(_leaderEnvironment), IPAddress.Loopback, environmentName: _environmentName);
        await _leader.StartAsync();
        if (!waitUntilReady)
        {
            return;
        }

        await Eventually.AssertAsync(
            async () =>
            {
                using var health = await Http.GetAsync(new Uri(Leader, "/health"));
                health.StatusCode.Should().Be(HttpStatusCode.OK, "the leader takes writes once it has recovered");
            },
            TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        // Leader first, so nothing is still replicating to followers that are gone.
        await StopLeaderAsync();
        for (var i = 0; i < _followers.Length; i++)
        {
            await StopFollowerAsync(i);
        }

        Http.Dispose();
    }

    private static async Task StopAsync(WebApplication? node)
    {
        if (node is not null)
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }
    }

    // Below Linux's ephemeral range (32768 and up), so that no outgoing connection of a parallel spec
    // takes a port between its choice here and the node's bind; one counter, so no two nodes of this
    // process are handed the same one.
    private static int _nextPort = 20_000 + Random.Shared.Next(10_000);

    private static int FreePort()
    {
        while (true)
        {
            var port = 20_000 + ((Interlocked.Increment(ref _nextPort) - 20_000) % 12_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by something else on this machine: the next one.
            }
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
