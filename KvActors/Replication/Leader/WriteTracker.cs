using KvActors.Runtime;
using KvActors.Store;
using Microsoft.Extensions.Logging;
using static KvActors.Replication.Leader.WriteTrackerMessages;

namespace KvActors.Replication.Leader;

/// <summary>
/// The coordinator's child for one write (EventStoreDB's per-write request manager, Akka's
/// per-request child): it delivers the entry to every follower, answers the client exactly once,
/// and stops when every follower has answered.
/// </summary>
/// <remarks>
/// <para>Owns: the set of followers that acknowledged, the set that failed, whether the client was answered.</para>
/// <para>Accepts: its own <see cref="SendDue"/> and <see cref="QuorumTimeout"/> timers, and the followers'
/// replies. Sends: <see cref="ReplicationMessages.Replicate"/> to each follower after that follower's own
/// random delay (all delays run concurrently, so the W-th acknowledgement comes after roughly the
/// W-th smallest of N delays); progress and <see cref="WriteCoordinatorMessages.WriteFinished"/> to its parent.</para>
/// <para>The client is answered 200 at the W-th distinct acknowledgement (at once when W = 0), or 504
/// at the replication timeout, or as soon as too many followers failed for W to be reachable. Delivery
/// to the remaining followers goes on after the answer either way.</para>
/// </remarks>
internal sealed partial class WriteTracker : Actor<IMessage>
{
    private readonly LogEntry _entry;
    private readonly IReadOnlyList<IActorRef<ReplicationMessages.Replicate>> _followers;
    private readonly ReplicationSettings _settings;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly TaskCompletionSource<WriteOutcome> _client;
    private readonly IActorRef<WriteCoordinatorMessages.IMessage> _parent;
    private readonly IActorRef<ReplicationMessages.IReply> _replies;

    // Sets, not counters: a follower that answers twice (a retried request) counts once.
    private readonly HashSet<string> _acknowledged = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly List<ITimer> _timers = [];
    private bool _answered;
    private bool _finished;

    /// <summary>Creates the tracker; it starts delivering when started.</summary>
    /// <param name="entry">The entry, already applied on the leader.</param>
    /// <param name="followers">Every follower, each addressed by a reference (remote in production).</param>
    /// <param name="settings">W, delays and timeout.</param>
    /// <param name="time">The clock for delays and the timeout (a fake one in specs).</param>
    /// <param name="random">Draws the delays; must be safe to share across threads (<see cref="Random.Shared"/>).</param>
    /// <param name="client">The client's reply slot, completed exactly once.</param>
    /// <param name="parent">The coordinator.</param>
    /// <param name="logger">For the timeout log line.</param>
    public WriteTracker(
        LogEntry entry,
        IReadOnlyList<IActorRef<ReplicationMessages.Replicate>> followers,
        ReplicationSettings settings,
        TimeProvider time,
        Random random,
        TaskCompletionSource<WriteOutcome> client,
        IActorRef<WriteCoordinatorMessages.IMessage> parent,
        ILogger logger)
        : base($"write-{entry.Seq}", logger)
    {
        _entry = entry;
        _followers = followers;
        _settings = settings;
        _time = time;
        _random = random;
        _client = client;
        _parent = parent;
        _replies = Adapter<ReplicationMessages.IReply>(reply => new FollowerReplied(reply));
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        var min = (long)_settings.MinDelay.TotalMilliseconds;
        var max = (long)_settings.MaxDelay.TotalMilliseconds;
        for (var i = 0; i < _followers.Count; i++)
        {
            var due = new SendDue(i);
            var delay = TimeSpan.FromMilliseconds(_random.NextInt64(min, max + 1));
            _timers.Add(_time.CreateTimer(_ => Tell(due), null, delay, Timeout.InfiniteTimeSpan));
        }

        _timers.Add(_time.CreateTimer(_ => Tell(new QuorumTimeout()), null, _settings.ReplicationTimeout, Timeout.InfiniteTimeSpan));
        AnswerIfDecided();
        StopIfFinished();
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        foreach (var timer in _timers)
        {
            timer.Dispose();
        }
    }

    /// <inheritdoc />
    protected override ValueTask HandleAsync(IMessage message)
    {
        switch (message)
        {
            case SendDue due:
                _followers[due.FollowerIndex].Tell(new ReplicationMessages.Replicate(_entry, _replies));
                break;
            case FollowerReplied { Reply: ReplicationMessages.Replicated ack } when ack.Seq == _entry.Seq:
                if (_acknowledged.Add(ack.Follower))
                {
                    _failed.Remove(ack.Follower);
                    _parent.Tell(new WriteCoordinatorMessages.FollowerAcknowledged(ack.Follower, ack.Seq, ack.AppliedSeq));
                }

                break;
            case FollowerReplied { Reply: ReplicationMessages.ReplicationFailed failure } when failure.Seq == _entry.Seq:
                if (!_acknowledged.Contains(failure.Follower) && _failed.Add(failure.Follower))
                {
                    _parent.Tell(new WriteCoordinatorMessages.FollowerFailed(failure.Follower, failure.Seq, failure.Error));
                }

                break;
            case QuorumTimeout when !_answered:
                LogQuorumTimeout(Logger, _entry.Seq, _acknowledged.Count, _settings.WriteQuorum, _settings.ReplicationTimeout.TotalMilliseconds);
                Answer(committed: false);
                break;
        }

        AnswerIfDecided();
        StopIfFinished();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override void OnHandlerFailed(IMessage message, Exception exception)
    {
        if (!_answered)
        {
            _answered = true;
            _client.TrySetResult(new WriteOutcome.WriteFailed(_entry.Key, exception.Message));
        }
    }

    private void AnswerIfDecided()
    {
        if (_answered)
        {
            return;
        }

        if (_acknowledged.Count >= _settings.WriteQuorum)
        {
            Answer(committed: true);
        }
        else if (_followers.Count - _failed.Count < _settings.WriteQuorum)
        {
            Answer(committed: false);
        }
    }

    private void Answer(bool committed)
    {
        _answered = true;
        var acks = _acknowledged.Count;
        WriteOutcome outcome = committed
            ? new WriteOutcome.WriteCommitted(_entry.Key, _entry.Seq, acks, _settings.WriteQuorum)
            : new WriteOutcome.QuorumNotReached(_entry.Key, _entry.Seq, acks, _settings.WriteQuorum);
        _client.TrySetResult(outcome);
        _parent.Tell(new WriteCoordinatorMessages.WriteAnswered(_entry.Seq, committed));
    }

    private void StopIfFinished()
    {
        if (!_finished && _acknowledged.Count + _failed.Count == _followers.Count)
        {
            _finished = true;
            _parent.Tell(new WriteCoordinatorMessages.WriteFinished(_entry.Seq));
            Stop();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write seq {Seq}: {Acks} of {WriteQuorum} acknowledgements after {TimeoutMs} ms; answering 504, still replicating")]
    private static partial void LogQuorumTimeout(ILogger logger, long seq, int acks, int writeQuorum, double timeoutMs);
}
