using Akka.Actor;
using Akka.Hosting;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Store;

namespace KvHost.Hosting;

/// <summary>
/// What a node does once its actors run: a leader recovers the cluster's data before it takes writes
/// (<see cref="LeaderRecovery"/>); a follower starts its catch-up loop. Registered after the actor
/// system, so it starts after it and stops before it; it terminates the actor system as it stops,
/// since <c>akka.hocon</c> keeps Akka's CoordinatedShutdown from doing so.
/// </summary>
public sealed partial class NodeLifecycle : IHostedService
{
    private readonly NodeActors _node;
    private readonly ActorSystem _system;
    private readonly IRequiredActor<StoreActor> _store;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _recovering = Task.CompletedTask;
    private bool _stopped;

    /// <summary>Creates the lifecycle of <paramref name="node"/>.</summary>
    /// <param name="node">The node's actors.</param>
    /// <param name="system">The node's actor system, terminated when the node stops.</param>
    /// <param name="store">The store actor.</param>
    /// <param name="http">The replication client (recovery asks the followers with it).</param>
    /// <param name="time">The clock for the new epoch and backoff.</param>
    /// <param name="loggers">Logger factory.</param>
    public NodeLifecycle(NodeActors node, ActorSystem system, IRequiredActor<StoreActor> store, HttpClient http, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _node = node;
        _system = system;
        _store = store;
        _http = http;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<NodeLifecycle>();
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var s = _node.Settings;
        switch (s.Role)
        {
            case FollowerSettings follower when _node.CatchUp is { } catchUp:
                catchUp.Start();
                LogFollowerStarted(_logger, s.NodeId, s.AckMode, follower.LeaderUrl);
                break;
            case LeaderSettings leader:
                var recovery = new LeaderRecovery(_node.Followers, leader.WriteQuorum, _http, _time, _loggers.CreateLogger<LeaderRecovery>());
                LogLeaderStarted(_logger, s.NodeId, leader.Followers.Count, leader.WriteQuorum, leader.MinDelay.TotalMilliseconds, leader.MaxDelay.TotalMilliseconds, leader.ReplicationTimeout.TotalMilliseconds, recovery.RequiredAnswers);

                // In the background, so that Kestrel listens meanwhile and answers 503 rather than refusing connections.
                _recovering = RecoverAsync(recovery, _stopping.Token);
                break;
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
        await _stopping.CancelAsync();
        await _recovering;
        if (_node.CatchUp is { } catchUp)
        {
            await catchUp.DisposeAsync();
        }

        _stopping.Dispose();
        await _system.Terminate();
    }

    private async Task RecoverAsync(LeaderRecovery recovery, CancellationToken cancellationToken)
    {
        try
        {
            var become = await recovery.RecoverAsync(_node.StoredAtStart, cancellationToken);

            // A state recovered from a follower is written whole to a durable leader's disk first: a minute for a large one.
            var recovered = await _store.ActorRef.Ask<StoreSnapshot>(become, TimeSpan.FromSeconds(60), cancellationToken);
            LogLeaderReady(_logger, _node.Settings.NodeId, recovered.Epoch, recovered.AppliedSeq);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before recovery finished: the leader never took a write, nothing to undo.
        }
        catch (AskTimeoutException ex)
        {
            // The leader stays unready (503, healthcheck failing), so its container shows unhealthy.
            LogRecoveryFailed(_logger, _node.Settings.NodeId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Leader {Node} could not start its epoch and takes no writes: {Error}")]
    private static partial void LogRecoveryFailed(ILogger logger, string node, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader {Node} started: {Followers} followers, write quorum W={WriteQuorum}, simulated lag {MinDelayMs}-{MaxDelayMs} ms, replication timeout {TimeoutMs} ms; recovering from at least {Required} followers before taking writes")]
    private static partial void LogLeaderStarted(ILogger logger, string node, int followers, int writeQuorum, double minDelayMs, double maxDelayMs, double timeoutMs, int required);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader {Node} ready: epoch {Epoch}, log continues after seq {Seq}")]
    private static partial void LogLeaderReady(ILogger logger, string node, long epoch, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Follower {Node} started: acknowledging entries when {AckMode}, leader at {LeaderUrl}")]
    private static partial void LogFollowerStarted(ILogger logger, string node, AckMode ackMode, Uri leaderUrl);
}
