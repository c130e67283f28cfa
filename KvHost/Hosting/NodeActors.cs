using KvActors.Replication.Leader;
using KvActors.Store;

namespace KvHost.Hosting;

/// <summary>
/// The actors of one node, started and stopped with the web host: a store on every node, and on the
/// leader a write coordinator plus one remote reference per follower.
/// </summary>
/// <remarks>
/// Stop order matters: the coordinator first (no new writes), then the remote references (abandon
/// deliveries), then the store, each draining what it already holds.
/// </remarks>
public sealed partial class NodeActors : IHostedService, IAsyncDisposable
{
    private readonly List<RemoteFollower> _remotes = [];
    private readonly ILogger _logger;
    private bool _stopped;

    /// <summary>Creates the node's actors from its settings; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="settings">The node's settings.</param>
    /// <param name="http">The one pooled client the leader uses for every follower.</param>
    /// <param name="time">The clock for delays, timeouts and backoff.</param>
    /// <param name="loggers">Logger factory.</param>
    public NodeActors(NodeSettings settings, HttpClient http, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        Settings = settings;
        _logger = loggers.CreateLogger<NodeActors>();
        var storeLogger = loggers.CreateLogger<StoreActor>();
        if (settings.Role == NodeRole.Follower)
        {
            Store = StoreActor.ForFollower(settings.AckMode, storeLogger);
            return;
        }

        // A new epoch per leader start, greater than any before it as long as the clock does not go
        // back: followers use it to tell this leader's log from an earlier one's.
        Epoch = time.GetUtcNow().ToUnixTimeMilliseconds();
        Store = StoreActor.ForLeader(Epoch, new ReplicationLog(ReplicationLogCapacity), storeLogger);
        foreach (var follower in settings.Followers)
        {
            _remotes.Add(new RemoteFollower(
                follower.Node,
                follower.Url,
                http,
                time,
                attemptTimeout: TimeSpan.FromSeconds(10),
                retryWindow: TimeSpan.FromSeconds(60),
                loggers.CreateLogger<RemoteFollower>()));
        }

        Coordinator = new WriteCoordinator(Store, _remotes, settings.Replication, time, Random.Shared, loggers);
    }

    /// <summary>Entries the leader keeps for followers that fall behind.</summary>
    public const int ReplicationLogCapacity = 100_000;

    /// <summary>The node's settings.</summary>
    public NodeSettings Settings { get; }

    /// <summary>The leader's epoch (Unix ms at its start); 0 on a follower, which learns it from entries.</summary>
    public long Epoch { get; }

    /// <summary>The node's data.</summary>
    public StoreActor Store { get; }

    /// <summary>The write path; null on a follower.</summary>
    public WriteCoordinator? Coordinator { get; }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Store.Start();
        Coordinator?.Start();
        var s = Settings;
        if (Coordinator is null)
        {
            LogFollowerStarted(_logger, s.NodeId, s.AckMode, s.LeaderUrl);
        }
        else
        {
            LogLeaderStarted(_logger, s.NodeId, Epoch, s.Followers.Count, s.WriteQuorum, s.MinDelay.TotalMilliseconds, s.MaxDelay.TotalMilliseconds, s.ReplicationTimeout.TotalMilliseconds);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (Coordinator is not null)
        {
            await Coordinator.ShutdownAsync();
        }

        foreach (var remote in _remotes)
        {
            await remote.DisposeAsync();
        }

        await Store.StopAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader {Node} started: epoch {Epoch}, {Followers} followers, write quorum W={WriteQuorum}, simulated lag {MinDelayMs}-{MaxDelayMs} ms, replication timeout {TimeoutMs} ms")]
    private static partial void LogLeaderStarted(ILogger logger, string node, long epoch, int followers, int writeQuorum, double minDelayMs, double maxDelayMs, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Follower {Node} started: acknowledging entries when {AckMode}, leader at {LeaderUrl}")]
    private static partial void LogFollowerStarted(ILogger logger, string node, KvActors.Replication.Follower.AckMode ackMode, Uri? leaderUrl);
}
