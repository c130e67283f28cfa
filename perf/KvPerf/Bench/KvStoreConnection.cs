using System.Net;
using KvPerf.Client;

namespace KvPerf.Bench;

/// <summary>
/// A benchmark client's connection to the kvstore leader: <c>PUT /kv/{key}</c> with
/// <c>{"value": ...}</c> through the experiment's <see cref="KvClient"/>, over an HTTP handler of
/// its own limited to one connection, so N clients hold exactly N keep-alive connections, as
/// N Redis clients do. Any answer but 200 counts as a failed write.
/// </summary>
public sealed class KvStoreConnection : IBenchConnection
{
    /// <summary>
    /// The client's time limit for one write: past the leader's REPLICATION_TIMEOUT_MS (5 s), so
    /// the leader's 504 arrives first.
    /// </summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly KvClient _leader;

    /// <summary>Creates a connection to the leader at <paramref name="leader"/>; it connects on the first write.</summary>
    public KvStoreConnection(Uri leader)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            Timeout = WriteTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
        };
        _leader = new KvClient(_http, leader);
    }

    /// <inheritdoc />
    public async Task<string?> WriteAsync(BenchWrite write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        var outcome = await _leader.PutAsync(write.Key, write.Value, ct);
        return outcome.Failure;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
