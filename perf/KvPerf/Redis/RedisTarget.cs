using KvPerf.Bench;
using KvPerf.Resources;

namespace KvPerf.Redis;

/// <summary>
/// Redis under the benchmark: one <see cref="RedisReplicaSet"/> for every case, since W is the
/// client's choice (<c>WAIT W 0</c>), not the server's.
/// </summary>
public sealed class RedisTarget : IBenchTarget
{
    private readonly RedisReplicaSet _replicaSet;
    private int _writeQuorum;

    /// <summary>Creates a target over <paramref name="replicaSet"/>, which it starts and stops.</summary>
    public RedisTarget(RedisReplicaSet replicaSet)
    {
        _replicaSet = replicaSet;
    }

    /// <inheritdoc />
    public string System => "redis";

    /// <summary><c>redis-server --version</c>'s line, once prepared.</summary>
    public string? Version => _replicaSet.Version;

    /// <inheritdoc />
    public Task PrepareAsync(CancellationToken ct) => _replicaSet.PrepareAsync(ct);

    /// <inheritdoc />
    public async Task StartAsync(int writeQuorum, CancellationToken ct)
    {
        _writeQuorum = writeQuorum;
        await _replicaSet.StartAsync(ct);
    }

    /// <inheritdoc />
    public async Task<IBenchConnection> ConnectAsync(CancellationToken ct) =>
        await RedisConnection.ConnectAsync(_replicaSet.Master, _writeQuorum);

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeProcess>> NodesAsync(CancellationToken ct) => Task.FromResult(_replicaSet.Nodes);

    /// <summary>Stops the master and replicas.</summary>
    public ValueTask DisposeAsync() => _replicaSet.DisposeAsync();
}
