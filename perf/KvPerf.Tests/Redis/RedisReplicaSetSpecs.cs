using System.Net.Sockets;
using KvPerf.Bench;
using KvPerf.Cluster;
using KvPerf.Redis;
using KvPerf.Report;
using KvPerf.Tests.TestKit;
using StackExchange.Redis;

namespace KvPerf.Tests.Redis;

/// <summary>
/// The benchmark's Redis side against a real Debian redis-server on loopback: the replica set
/// installs it where missing (scripts/ensure-redis.sh, as root), so these specs fail rather than
/// skip on a machine where it cannot be installed. Nothing here asserts a speed.
/// </summary>
[Trait("Category", "Redis")]
public sealed class RedisReplicaSetSpecs : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly RedisReplicaSet _redis;

    public RedisReplicaSetSpecs()
    {
        var layout = RepositoryLayout.Find();
        _redis = new RedisReplicaSet(
            layout.EnsureRedisScript, layout.Root, FreePorts.Consecutive(6), replicas: 5, _temp.Path, new ScriptRunner(_temp.File("commands.log")));
    }

    public async Task InitializeAsync()
    {
        await _redis.PrepareAsync(CancellationToken.None);
        await _redis.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Replica_set_runs_a_master_and_five_synced_replicas_and_stops_them_all()
    {
        // Arrange
        var nodes = _redis.Nodes;
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.Master},allowAdmin=true");
        var info = await admin.GetServer(_redis.Master).InfoRawAsync("replication") ?? "";

        // Act
        await _redis.StopAsync();

        // Assert
        nodes.Select(n => n.Name).Should().Equal("redis-master", "redis-replica1", "redis-replica2", "redis-replica3", "redis-replica4", "redis-replica5");
        RedisReplicaSet.CountOnlineReplicas(info).Should().Be(5);
        info.Should().Contain("role:master");
        _redis.Nodes.Should().BeEmpty();
        nodes.Should().OnlyContain(n => !File.Exists($"/proc/{n.Pid}/status") || File.ReadAllText($"/proc/{n.Pid}/status").Contains("State:\tZ", StringComparison.Ordinal));
        (await ListensAsync(_redis.Master)).Should().BeFalse();
        _redis.Version.Should().StartWith("Redis server v=7.");
    }

    [Fact]
    public async Task A_write_at_W5_returns_once_every_replica_holds_the_same_json_text()
    {
        // Arrange
        await using var connection = await RedisConnection.ConnectAsync(_redis.Master, replicas: 5);
        var write = new BenchWrites(100).For(42);

        // Act
        var failure = await connection.WriteAsync(write, CancellationToken.None);

        // Assert: WAIT 5 answered, so each replica already holds the value, byte for byte.
        failure.Should().BeNull();
        foreach (var replica in _redis.ReplicaAddresses)
        {
            await using var reader = await ConnectionMultiplexer.ConnectAsync(replica);
            ((string?)await reader.GetDatabase().StringGetAsync("k42")).Should().Be(write.ValueJson);
        }
    }

    [Fact]
    public async Task Closed_loop_against_redis_uses_one_connection_per_client_and_counts_no_error()
    {
        // Arrange
        var connections = new IBenchConnection[3];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = await RedisConnection.ConnectAsync(_redis.Master, replicas: 5);
        }

        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.Master},allowAdmin=true");
        var benchClients = 0;

        // Act
        var result = await ClosedLoopDriver.RunAsync(
            connections,
            new BenchWrites(100),
            TimeSpan.FromMilliseconds(200),
            TimeSpan.FromMilliseconds(500),
            async _ => benchClients = (await admin.GetServer(_redis.Master).ClientListAsync()).Count(c => c.Name == RedisConnection.ClientName),
            null,
            CancellationToken.None);
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        // Assert
        result.Latencies.Count.Should().BeGreaterThan(0, "sent {0}", result.Sent);
        benchClients.Should().Be(3, "each client has its own multiplexer and no subscription connection");
        result.Errors.Should().Be(0, "no write fails, but these did: {0}", string.Join(", ", result.ErrorsByReason.Select(e => $"{e.Key} ×{e.Value}")));
        result.Latencies.Count.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_port_already_taken_is_reported_and_left_alone()
    {
        // Arrange: something else listens where the master would.
        var port = FreePorts.Consecutive(6);
        using var squatter = new TcpListener(System.Net.IPAddress.Loopback, port);
        squatter.Start();
        var layout = RepositoryLayout.Find();
        await using var second = new RedisReplicaSet(
            layout.EnsureRedisScript, layout.Root, port, replicas: 5, _temp.Path, new ScriptRunner(_temp.File("second.log")));
        await second.PrepareAsync(CancellationToken.None);

        // Act
        var act = () => second.StartAsync(CancellationToken.None);

        // Assert
        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain($"Port {port} is taken");
        second.Nodes.Should().BeEmpty();
    }

    private static async Task<bool> ListensAsync(string address)
    {
        var port = int.Parse(address.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
