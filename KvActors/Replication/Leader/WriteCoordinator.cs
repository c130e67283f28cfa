using Akka.Actor;
using Akka.Remote;
using KvActors.Store;
using static KvActors.Replication.Leader.WriteCoordinatorMessages;

namespace KvActors.Replication.Leader;

/// <summary>
/// The leader's write path: it has each client write numbered and applied by the store, then hands
/// it to a per-write <see cref="WriteTracker"/> child that replicates it and answers the client.
/// </summary>
/// <remarks>
/// <para>Owns: the writes waiting for the store, the live trackers by <c>seq</c>, per-follower progress
/// and the 200/504 counters.</para>
/// <para>Accepts: <see cref="Write"/> and <see cref="GetStatus"/> from the HTTP facade; the store's
/// <see cref="StoreMessages.IAppendReply"/>; progress, answers and completion from its trackers;
/// <see cref="FollowerPulled"/> from the catch-up endpoint; Akka.Remote's association events, which
/// tell a follower that cannot be reached (for <c>/status</c>).</para>
/// <para>Sends: <see cref="StoreMessages.Append"/> to the store; starts one tracker per applied write
/// and tells the live ones when a follower's node is reachable again. Publishes its status to a
/// <see cref="LeaderStatusView"/>, when given one, for the metrics.</para>
/// <para>It also owns the idempotency keys (<see cref="IdempotencyTable{TWaiter}"/>, in
/// <c>WriteCoordinator.Idempotency.cs</c>), since it alone sees every write, its <c>seq</c>, each
/// acknowledgement and the answer, in one mailbox.</para>
/// <para>Trackers are spawned in <c>seq</c> order (the store answers appends in order and this mailbox
/// keeps it), but each draws its own delays, so followers receive entries out of order and rely
/// on their in-order apply. A tracker whose handler throws is stopped, not restarted: a restart
/// would send its entry again and could answer its client twice.</para>
/// </remarks>
public sealed partial class WriteCoordinator : ReceiveActor, IWithTimers
{
    /// <summary>How often the coordinator publishes its status to its <see cref="LeaderStatusView"/>.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);

    private readonly IActorRef _store;
    private readonly IReadOnlyList<FollowerRef> _followers;
    private readonly ReplicationSettings _settings;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Dictionary<long, (IActorRef Client, WriteCommand Command, string? IdempotencyKey)> _awaitingStore = [];
    private readonly Dictionary<long, IActorRef> _trackers = [];
    private readonly FollowerProgress[] _progress;
    private readonly LeaderStatusView? _statusView;

    // When each recent seq was appended, for replication lag in ms (a ring: seq % length).
    private readonly long[] _appendedAtMs = new long[1 << 16];
    private long _nextCorrelationId;
    private long _lastSeq;
    private long _committed;
    private long _notCommitted;

    /// <summary>Use <see cref="Props"/>, which checks the arguments.</summary>
    /// <param name="store">The leader's store actor.</param>
    /// <param name="followers">Every follower.</param>
    /// <param name="settings">W, delays and timeout.</param>
    /// <param name="time">The clock.</param>
    /// <param name="random">Draws delays.</param>
    /// <param name="idempotency">How long and how many idempotency keys to remember.</param>
    /// <param name="statusView">Where to publish the status for the metrics, or null to publish none.</param>
    public WriteCoordinator(IActorRef store, IReadOnlyList<FollowerRef> followers, ReplicationSettings settings, TimeProvider time, Random random, IdempotencySettings idempotency, LeaderStatusView? statusView)
    {
        _idempotency = new IdempotencyTable<IActorRef>(idempotency);
        _store = store;
        _followers = followers;
        _settings = settings;
        _time = time;
        _random = random;
        _progress = [.. followers.Select(f => new FollowerProgress(f.Name))];
        _statusView = statusView;

        Receive<Write>(write =>
        {
            if (write.Idempotency is { } idempotency && !Admit(write, idempotency))
            {
                return;
            }

            var correlationId = ++_nextCorrelationId;
            _awaitingStore[correlationId] = (Sender, write.Command, write.Idempotency?.IdempotencyKey);
            _store.Tell(new StoreMessages.Append(write.Command, correlationId));
        });
        Receive<StoreMessages.IAppendReply>(HandleStoreReply);
        Receive<FollowerAcknowledged>(ack =>
        {
            ProgressOf(ack.Follower)?.Acknowledged(ack.Seq, ack.AppliedSeq);
            _idempotency.Acknowledged(ack.Seq, ack.Follower);
        });
        Receive<FollowerFailed>(failure => ProgressOf(failure.Follower)?.Failed(failure.Error));
        Receive<FollowerPulled>(pulled => ProgressOf(pulled.Follower)?.Pulled(pulled.AppliedSeq, IsCatchingUp(pulled), _time.GetUtcNow()));
        Receive<WriteAnswered>(answered =>
        {
            _ = answered.Committed ? ++_committed : ++_notCommitted;
            AnswerRetries(answered.Seq);
        });
        Receive<WriteFinished>(finished =>
        {
            _trackers.Remove(finished.Seq);

            // A tracker stopped before it answered sends no WriteAnswered: its retries must still hear.
            AnswerRetries(finished.Seq);
        });
        Receive<AssociationErrorEvent>(e => ProgressOf(e.RemoteAddress)?.Unreachable(e.Cause?.Message ?? e.ToString()));
        Receive<DisassociatedEvent>(e => ProgressOf(e.RemoteAddress)?.Unreachable("the connection to the follower closed"));
        Receive<AssociatedEvent>(e =>
        {
            ProgressOf(e.RemoteAddress)?.Reachable();

            // Entries sent while the association was gated were dropped; resend them now, not at
            // each tracker's next backoff step (up to 4 s away), which turned into 504s at high W.
            var reachable = new WriteTrackerMessages.FollowerReachable(e.RemoteAddress);
            foreach (var tracker in _trackers.Values)
            {
                tracker.Tell(reachable);
            }
        });
        Receive<GetStatus>(_ => Sender.Tell(PublishStatus()));
        Receive<StatusTick>(_ => PublishStatus());
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The coordinator's props.</summary>
    /// <param name="store">The leader's store actor.</param>
    /// <param name="followers">Every follower; the list's order is the order <c>/status</c> shows.</param>
    /// <param name="settings">W, delays and the replication timeout.</param>
    /// <param name="time">The clock for the trackers' simulated delays and for lag.</param>
    /// <param name="random">Draws delays; shared by concurrent trackers, so <see cref="Random.Shared"/> in production.</param>
    /// <param name="idempotency">How long and how many idempotency keys to remember; <see cref="IdempotencySettings.Default"/> when null.</param>
    /// <param name="statusView">Where to publish the status every <see cref="StatusInterval"/> for the metrics; null publishes none.</param>
    /// <returns>The props.</returns>
    /// <exception cref="ArgumentOutOfRangeException">W is negative or larger than the number of followers.</exception>
    public static Props Props(IActorRef store, IReadOnlyList<FollowerRef> followers, ReplicationSettings settings, TimeProvider time, Random random, IdempotencySettings? idempotency = null, LeaderStatusView? statusView = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(followers);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.WriteQuorum);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.WriteQuorum, followers.Count);
        idempotency ??= IdempotencySettings.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(idempotency.MaxKeys, 1);
        return Akka.Actor.Props.Create(() => new WriteCoordinator(store, followers, settings, time, random, idempotency, statusView));
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(RemotingLifecycleEvent));
        if (_statusView is not null)
        {
            PublishStatus();
            Timers.StartPeriodicTimer(StatusTick.Instance, StatusTick.Instance, StatusInterval);
        }
    }

    /// <inheritdoc />
    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    /// <inheritdoc />
    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception ex) when (message is Write write)
        {
            Sender.Tell(new WriteOutcome.WriteFailed(write.Command.Key, ex.Message));
            throw;
        }
    }

    private LeaderStatus PublishStatus()
    {
        var status = new LeaderStatus(
            _lastSeq,
            _settings.WriteQuorum,
            _committed,
            _notCommitted,
            _trackers.Count,
            [.. _progress.Select(p => p.ToStatus(_lastSeq, _time.GetUtcNow(), AppendedAt))]);
        _statusView?.Publish(status);
        return status;
    }

    private void HandleStoreReply(StoreMessages.IAppendReply reply)
    {
        switch (reply)
        {
            case StoreMessages.Appended appended when _awaitingStore.Remove(appended.CorrelationId, out var write):
                var entry = appended.Entry;
                _lastSeq = entry.Seq;
                if (write.IdempotencyKey is { } key)
                {
                    _idempotency.Assigned(key, entry.Seq);
                }

                _appendedAtMs[_lastSeq % _appendedAtMs.Length] = _time.GetUtcNow().ToUnixTimeMilliseconds();
                _trackers[entry.Seq] = Context.ActorOf(
                    WriteTracker.Props(entry, _followers, _settings, _time, _random, write.Client), $"write-{entry.Seq}");
                break;
            case StoreMessages.AppendRejected rejected when _awaitingStore.Remove(rejected.CorrelationId, out var write):
                Refuse(write.Client, write.IdempotencyKey, new WriteOutcome.KeyNotFound(write.Command.Key));
                break;
            case StoreMessages.AppendFailed failed when _awaitingStore.Remove(failed.CorrelationId, out var write):
                Refuse(write.Client, write.IdempotencyKey, new WriteOutcome.WriteFailed(write.Command.Key, failed.Error));
                break;
        }
    }

    private FollowerProgress? ProgressOf(string node) => Array.Find(_progress, p => p.Node == node);

    private FollowerProgress? ProgressOf(Address address)
    {
        for (var i = 0; i < _followers.Count; i++)
        {
            if (_followers[i].Ref.Path.Address.Equals(address))
            {
                return _progress[i];
            }
        }

        return null;
    }

    // A fetch that returns entries is routine while writes are in flight (the push of the newest is
    // still on its way); the follower is catching up only if it needed a snapshot, or lacked an entry
    // older than the longest simulated lag plus a second, which the push alone should have delivered.
    private bool IsCatchingUp(FollowerPulled pulled) =>
        pulled.FullResync
        || (pulled.Entries > 0 && AppendedAt(pulled.AppliedSeq + 1) is { } oldest && _time.GetUtcNow() - oldest > _settings.MaxDelay + TimeSpan.FromSeconds(1));

    // The append time of seq, or of the oldest seq still in the ring when seq is older (a lower bound).
    private DateTimeOffset? AppendedAt(long seq)
    {
        if (seq < 1 || seq > _lastSeq)
        {
            return null;
        }

        var oldest = Math.Max(1, _lastSeq - _appendedAtMs.Length + 1);
        var ms = _appendedAtMs[Math.Max(seq, oldest) % _appendedAtMs.Length];
        return ms == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    // The publish timer's message, private to the coordinator.
    private sealed record StatusTick
    {
        public static readonly StatusTick Instance = new();
    }
}
