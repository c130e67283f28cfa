using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Runtime;
using KvActors.Store;

namespace KvHost.Hosting;

/// <summary>
/// The actors of one node, started and stopped with the web host: a store on every node; on a
/// follower its catch-up loop; on the leader a write coordinator, one remote reference per follower,
/// and the recovery that must finish before the leader takes writes.
/// </summary>
/// <remarks>
/// Stop order matters: the coordinator first (no new writes), then the remote references (abandon
/// deliveries), then the store, each draining what it already holds.
/// </remarks>
public sealed partial class NodeActors : IHostedService, IAsyncDisposable
{
    private readonly List<RemoteFollower> _remotes = [];
    private readonly LeaderRecovery? _recovery;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _recovering = Task.CompletedTask;
    private bool _stopped;

    /// <summary>Creates the node's actors from its settings; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="settings">The node's settings.</param>
    /// <param name="http">The one pooled client for replication; its default headers carry the token.</param>
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
            CatchUp = new CatchUpLoop(Store, settings.NodeId, settings.LeaderUrl!, http, time, settings.CatchUpAfter, loggers.CreateLogger<CatchUpLoop>());
            return;
        }

        Store = StoreActor.ForLeader(new ReplicationLog(settings.ReplicationLogEntries), storeLogger);
        foreach (var follower in settings.Followers)
        {
            _remotes.Add(new RemoteFollower(
                follower.Node,
                follower.Url,
                http,
                time,
                attemptTimeout: DeliveryAttemptTimeout,
                retryWindow: DeliveryRetryWindow,
                loggers.CreateLogger<RemoteFollower>()));
        }

        Coordinator = new WriteCoordinator(Store, _remotes, settings.Replication, time, Random.Shared, loggers);
        _recovery = new LeaderRecovery(_remotes, settings.WriteQuorum, http, time, loggers.CreateLogger<LeaderRecovery>());
    }

    /// <summary>
    /// How long one replicate request may take before the leader abandons and retries it: 10 s,
    /// well past the longest simulated lag a useful experiment sets, short of a paused follower.
    /// </summary>
    public static readonly TimeSpan DeliveryAttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the leader keeps retrying one entry to an unreachable follower: 60 s. After it, the
    /// follower's own catch-up fetches what it missed, so giving up loses nothing.
    /// </summary>
    public static readonly TimeSpan DeliveryRetryWindow = TimeSpan.FromSeconds(60);

    /// <summary>The node's settings.</summary>
    public NodeSettings Settings { get; }

    /// <summary>The node's data.</summary>
    public StoreActor Store { get; }

    /// <summary>The write path; null on a follower.</summary>
    public WriteCoordinator? Coordinator { get; }

    /// <summary>The leader's references to its followers, in <c>FOLLOWERS</c> order; empty on a follower.</summary>
    public IReadOnlyList<RemoteFollower> Remotes => _remotes;

    /// <summary>A follower's catch-up loop; null on the leader.</summary>
    public CatchUpLoop? CatchUp { get; }

    /// <summary>
    /// False on a leader until it has recovered the cluster's data and started its epoch: until then
    /// it answers client requests 503 and its healthcheck fails. Always true on a follower.
    /// </summary>
    public bool IsReady => Coordinator is null || Store.Current.Epoch != 0;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Store.Start();
        var s = Settings;
        if (Coordinator is null)
        {
            CatchUp!.Start();
            LogFollowerStarted(_logger, s.NodeId, s.AckMode, s.LeaderUrl);
            return Task.CompletedTask;
        }

        Coordinator.Start();
        LogLeaderStarted(_logger, s.NodeId, s.Followers.Count, s.WriteQuorum, s.MinDelay.TotalMilliseconds, s.MaxDelay.TotalMilliseconds, s.ReplicationTimeout.TotalMilliseconds, _recovery!.RequiredAnswers);

        // In the background, so that Kestrel listens meanwhile and answers 503 rather than refusing connections.
        _recovering = RecoverAsync(_stopping.Token);
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
        await _stopping.CancelAsync();
        await _recovering;
        if (CatchUp is not null)
        {
            await CatchUp.DisposeAsync();
        }

        if (Coordinator is not null)
        {
            await Coordinator.ShutdownAsync();
        }

        foreach (var remote in _remotes)
        {
            await remote.DisposeAsync();
        }

        await Store.StopAsync();
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        try
        {
            var recovered = await _recovery!.RecoverAsync(cancellationToken);
            await Store.AskAsync<StoreMessages.IMessage, StoreSnapshot>(
                reply => new StoreMessages.BecomeLeader(recovered, reply), TimeSpan.FromSeconds(30), cancellationToken);
            LogLeaderReady(_logger, Settings.NodeId, recovered.Epoch, recovered.AppliedSeq);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before recovery finished: the leader never took a write, nothing to undo.
        }
        catch (Exception ex) when (ex is ActorStoppedException or TimeoutException)
        {
            // The leader stays unready (503, healthcheck failing), so its container shows unhealthy.
            LogRecoveryFailed(_logger, Settings.NodeId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Leader {Node} could not start its epoch and takes no writes: {Error}")]
    private static partial void LogRecoveryFailed(ILogger logger, string node, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader {Node} started: {Followers} followers, write quorum W={WriteQuorum}, simulated lag {MinDelayMs}-{MaxDelayMs} ms, replication timeout {TimeoutMs} ms; recovering from at least {Required} followers before taking writes")]
    private static partial void LogLeaderStarted(ILogger logger, string node, int followers, int writeQuorum, double minDelayMs, double maxDelayMs, double timeoutMs, int required);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader {Node} ready: epoch {Epoch}, log continues after seq {Seq}")]
    private static partial void LogLeaderReady(ILogger logger, string node, long epoch, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Follower {Node} started: acknowledging entries when {AckMode}, leader at {LeaderUrl}")]
    private static partial void LogFollowerStarted(ILogger logger, string node, AckMode ackMode, Uri? leaderUrl);
}
