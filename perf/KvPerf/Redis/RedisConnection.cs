using KvPerf.Bench;
using StackExchange.Redis;

namespace KvPerf.Redis;

/// <summary>
/// A benchmark client's connection to the Redis master: each write is <c>SET key value</c> then
/// <c>WAIT W 0</c>, the Redis way of waiting for W replicas. StackExchange.Redis multiplexes
/// every caller of one <see cref="ConnectionMultiplexer"/> over one socket, so each client gets a
/// multiplexer of its own, with pub/sub switched off so that it opens no second (subscription)
/// connection: N clients are exactly N connections, each with one write in flight.
/// </summary>
public sealed class RedisConnection : IBenchConnection
{
    private static readonly CommandMap WithoutPubSub = CommandMap.Create(
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE" },
        available: false);

    private readonly ConnectionMultiplexer _multiplexer;
    private readonly IDatabase _database;
    private readonly int _replicas;

    private RedisConnection(ConnectionMultiplexer multiplexer, int replicas)
    {
        _multiplexer = multiplexer;
        _database = multiplexer.GetDatabase();
        _replicas = replicas;
    }

    /// <summary>The name every benchmark connection gives itself (<c>CLIENT SETNAME</c>).</summary>
    public const string ClientName = "kvbench";

    /// <summary>
    /// Connects to the master at <paramref name="master"/> (host:port); each write waits for
    /// <paramref name="replicas"/> replicas (W).
    /// </summary>
    /// <exception cref="RedisConnectionException">The master does not answer.</exception>
    public static async Task<RedisConnection> ConnectAsync(string master, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        var options = new ConfigurationOptions
        {
            EndPoints = { master },
            ClientName = ClientName,
            CommandMap = WithoutPubSub,
            // No configuration-change channel either: that is a subscription too.
            ConfigurationChannel = "",
            AbortOnConnectFail = true,
            // As kvstore's client: a WAIT that cannot be satisfied becomes a failed write, not a hang.
            AsyncTimeout = (int)KvStoreConnection.WriteTimeout.TotalMilliseconds,
            SyncTimeout = (int)KvStoreConnection.WriteTimeout.TotalMilliseconds,
        };
        return new RedisConnection(await ConnectionMultiplexer.ConnectAsync(options), replicas);
    }

    /// <inheritdoc />
    public async Task<string?> WriteAsync(BenchWrite write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        ct.ThrowIfCancellationRequested();

        // SET and WAIT go out together: Redis runs one connection's commands in order, so WAIT
        // still waits for this SET, and the write costs one round trip, as a kvstore PUT does.
        var set = _database.StringSetAsync(write.Key, write.ValueJson);
        var wait = _database.ExecuteAsync("WAIT", _replicas, 0);
        try
        {
            await Task.WhenAll(set, wait);
        }
        catch (RedisTimeoutException)
        {
            return "timeout";
        }
        catch (RedisConnectionException ex)
        {
            return $"connection: {ex.FailureType}";
        }
        catch (RedisServerException ex)
        {
            return $"error: {ex.Message.Split(' ')[0]}";
        }

        if (!set.Result)
        {
            return "SET not OK";
        }

        var reached = (long)wait.Result;
        return reached >= _replicas ? null : $"WAIT reached {reached} of {_replicas}";
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync();
}
