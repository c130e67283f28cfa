using KvActors.Runtime;
using KvActors.Store;
using Microsoft.Extensions.Logging;
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
/// append replies; progress, answers and completion from its trackers.</para>
/// <para>Sends: <see cref="StoreMessages.Append"/> to the store; starts one tracker per applied write.</para>
/// <para>Trackers are spawned in <c>seq</c> order (the store answers appends in order and this mailbox
/// keeps it), but each draws its own delays, so followers receive entries out of order and rely
/// on their in-order apply.</para>
/// </remarks>
public sealed class WriteCoordinator : Actor<IMessage>
{
    private readonly IActorRef<StoreMessages.IMessage> _store;
    private readonly IReadOnlyList<IActorRef<ReplicationMessages.Replicate>> _followers;
    private readonly ReplicationSettings _settings;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILoggerFactory _loggers;
    private readonly IActorRef<StoreMessages.IAppendReply> _storeReplies;
    private readonly Dictionary<long, Write> _awaitingStore = [];
    private readonly Dictionary<long, WriteTracker> _trackers = [];
    private readonly FollowerProgress[] _progress;

    // When each recent seq was appended, for replication lag in ms (a ring: seq % length).
    private readonly long[] _appendedAtMs = new long[1 << 16];
    private long _nextCorrelationId;
    private long _lastSeq;
    private long _committed;
    private long _notCommitted;

    /// <summary>Creates the coordinator; start it after the store.</summary>
    /// <param name="store">The leader's store actor.</param>
    /// <param name="followers">Every follower; the list's order is the order <c>/status</c> shows.</param>
    /// <param name="settings">W, delays and the replication timeout.</param>
    /// <param name="time">The clock for the trackers' delays and timeouts.</param>
    /// <param name="random">Draws delays; shared by concurrent trackers, so <see cref="Random.Shared"/> in production.</param>
    /// <param name="loggers">For this actor and its trackers.</param>
    /// <exception cref="ArgumentOutOfRangeException">W is negative or larger than the number of followers.</exception>
    public WriteCoordinator(
        IActorRef<StoreMessages.IMessage> store,
        IReadOnlyList<IActorRef<ReplicationMessages.Replicate>> followers,
        ReplicationSettings settings,
        TimeProvider time,
        Random random,
        ILoggerFactory loggers)
        // Unbounded: its trackers Tell it progress and completion, and a full mailbox would drop
        // those (leaking trackers, miscounting writes). Client writes are bounded upstream, by
        // Kestrel's connection limits and the clients waiting for their answers.
        : base("write-coordinator", loggers.CreateLogger<WriteCoordinator>(), mailboxCapacity: null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(settings.WriteQuorum);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.WriteQuorum, followers.Count);
        _store = store;
        _followers = followers;
        _settings = settings;
        _time = time;
        _random = random;
        _loggers = loggers;
        _storeReplies = Adapter<StoreMessages.IAppendReply>(reply => new StoreReplied(reply));
        _progress = [.. followers.Select(f => new FollowerProgress(f.Name))];
    }

    /// <summary>Stops taking writes, then stops the trackers still delivering (their deliveries are abandoned).</summary>
    /// <returns>A task that completes when this actor and every tracker have stopped.</returns>
    public async Task ShutdownAsync()
    {
        await StopAsync();

        // The loop has ended, so reading the tracker table from this thread is safe now.
        await Task.WhenAll(_trackers.Values.Select(t => t.StopAsync()));
    }

    /// <inheritdoc />
    protected override ValueTask HandleAsync(IMessage message)
    {
        switch (message)
        {
            case Write write:
                var correlationId = ++_nextCorrelationId;
                _awaitingStore[correlationId] = write;
                _store.Tell(new StoreMessages.Append(write.Command, correlationId, _storeReplies));
                break;
            case StoreReplied { Reply: var reply }:
                HandleStoreReply(reply);
                break;
            case FollowerAcknowledged ack:
                ProgressOf(ack.Follower)?.Acknowledged(ack.Seq, ack.AppliedSeq);
                break;
            case FollowerFailed failure:
                ProgressOf(failure.Follower)?.Failed(failure.Error);
                break;
            case FollowerPulled pulled:
                ProgressOf(pulled.Follower)?.Pulled(pulled.AppliedSeq, IsCatchingUp(pulled), _time.GetUtcNow());
                break;
            case WriteAnswered { Committed: var committed }:
                _ = committed ? ++_committed : ++_notCommitted;
                break;
            case WriteFinished finished:
                _trackers.Remove(finished.Seq);
                break;
            case GetStatus status:
                status.Reply.TrySetResult(new LeaderStatus(
                    _lastSeq,
                    _settings.WriteQuorum,
                    _committed,
                    _notCommitted,
                    _trackers.Count,
                    [.. _progress.Select(p => p.ToStatus(_lastSeq, _time.GetUtcNow(), AppendedAt))]));
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override void OnHandlerFailed(IMessage message, Exception exception)
    {
        switch (message)
        {
            case Write write:
                write.Reply.TrySetResult(new WriteOutcome.WriteFailed(write.Command.Key, exception.Message));
                break;
            case GetStatus status:
                status.Reply.TrySetException(exception);
                break;
        }
    }

    private void HandleStoreReply(StoreMessages.IAppendReply reply)
    {
        switch (reply)
        {
            case StoreMessages.Appended appended when _awaitingStore.Remove(appended.CorrelationId, out var write):
                _lastSeq = appended.Entry.Seq;
                _appendedAtMs[_lastSeq % _appendedAtMs.Length] = _time.GetUtcNow().ToUnixTimeMilliseconds();
                var tracker = new WriteTracker(
                    appended.Entry,
                    _followers,
                    _settings,
                    _time,
                    _random,
                    write.Reply,
                    this,
                    _loggers.CreateLogger<WriteTracker>());
                _trackers[appended.Entry.Seq] = tracker;
                tracker.Start();
                break;
            case StoreMessages.AppendRejected rejected when _awaitingStore.Remove(rejected.CorrelationId, out var write):
                write.Reply.TrySetResult(new WriteOutcome.KeyNotFound(write.Command.Key));
                break;
            case StoreMessages.AppendFailed failed when _awaitingStore.Remove(failed.CorrelationId, out var write):
                write.Reply.TrySetResult(new WriteOutcome.WriteFailed(write.Command.Key, failed.Error));
                break;
        }
    }

    private FollowerProgress? ProgressOf(string node) => Array.Find(_progress, p => p.Node == node);

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
}
