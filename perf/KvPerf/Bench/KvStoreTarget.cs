using KvPerf.Client;
using KvPerf.Cluster;
using KvPerf.Resources;

namespace KvPerf.Bench;

/// <summary>
/// kvstore under the benchmark: a fresh cluster per write quorum, started by the experiment's own
/// launchers (<see cref="LocalProcessCluster"/> or <see cref="ComposeCluster"/>) with zero injected
/// delay and <c>ACK_MODE=received</c>, so that what is measured is the store's own cost.
/// </summary>
public sealed class KvStoreTarget : IBenchTarget
{
    /// <summary>The ack mode every case runs with: a follower acknowledges what it holds, as a Redis replica does.</summary>
    public const string AckMode = "received";

    private readonly IClusterLauncher _launcher;
    private readonly Func<CancellationToken, Task<IReadOnlyList<NodeProcess>>> _nodes;
    private ClusterEndpoints? _endpoints;

    /// <summary>
    /// Creates a target named <paramref name="system"/> that starts its clusters with
    /// <paramref name="launcher"/> and finds their processes with <paramref name="nodes"/>.
    /// </summary>
    public KvStoreTarget(string system, IClusterLauncher launcher, Func<CancellationToken, Task<IReadOnlyList<NodeProcess>>> nodes)
    {
        System = system;
        _launcher = launcher;
        _nodes = nodes;
    }

    /// <inheritdoc />
    public string System { get; }

    /// <inheritdoc />
    public Task PrepareAsync(CancellationToken ct) => _launcher.PrepareAsync(ct);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The leader runs with another W than asked.</exception>
    public async Task StartAsync(int writeQuorum, CancellationToken ct)
    {
        // W is the leader's start-up setting: each W gets a fresh cluster.
        if (_endpoints is not null)
        {
            await _launcher.StopRunAsync(ct);
        }

        _endpoints = await _launcher.StartAsync(new RunSettings(writeQuorum, AckMode, MinDelayMs: 0, MaxDelayMs: 0), ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var status = await new KvClient(http, _endpoints.Leader).GetStatusAsync(ct);
        if (status.WriteQuorum is { } reported && reported != writeQuorum)
        {
            throw new InvalidOperationException($"The leader runs with writeQuorum {reported}, not the W={writeQuorum} it was started with.");
        }
    }

    /// <inheritdoc />
    public Task<IBenchConnection> ConnectAsync(CancellationToken ct)
    {
        var endpoints = _endpoints ?? throw new InvalidOperationException("StartAsync must run before ConnectAsync.");
        return Task.FromResult<IBenchConnection>(new KvStoreConnection(endpoints.Leader));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeProcess>> NodesAsync(CancellationToken ct) => _nodes(ct);

    /// <summary>Stops the cluster.</summary>
    public ValueTask DisposeAsync() => _launcher.DisposeAsync();
}
