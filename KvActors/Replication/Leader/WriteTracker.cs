using Akka.Actor;
using Akka.Event;
using KvActors.Store;
using static KvActors.Replication.Leader.WriteTrackerMessages;

namespace KvActors.Replication.Leader;

/// <summary>
/// The coordinator's child for one write (EventStoreDB's per-write request manager, the Akka
/// tutorials' per-request child): it delivers the entry to every follower, answers the client exactly
/// once, and stops when every follower has answered.
/// </summary>
/// <remarks>
/// <para>Owns: the set of followers that acknowledged, the set that failed, the delay drawn for each, whether the client was answered.</para>
/// <para>Accepts: its own <see cref="SendDue"/> and <see cref="QuorumTimeout"/> timers, the followers'
/// <see cref="ReplicationMessages.IReply"/>, and <see cref="FollowerReachable"/> from its parent. Sends: <see cref="ReplicationMessages.Replicate"/> to each
/// follower after that follower's own random delay (all delays run concurrently, so the W-th
/// acknowledgement comes after roughly the W-th smallest of N delays); progress and
/// <see cref="WriteCoordinatorMessages.WriteFinished"/> to its parent; the <see cref="WriteOutcome"/> to the client.</para>
/// <para>The client is answered 200 at the W-th distinct acknowledgement, with that follower's drawn delay
/// (at once and without a delay when W = 0), or 504
/// at the replication timeout, or as soon as too many followers failed for W to be reachable. Delivery
/// to the remaining followers goes on after the answer either way.</para>
/// <para>Akka.Remote delivers at most once, so the followers that have not answered get the entry
/// again <see cref="ReplicationSettings.ResendAfter"/> after the last of them was sent it, then at
/// doubling intervals, for up to <see cref="ReplicationSettings.DeliveryWindow"/>; they then count
/// as failed and repair themselves by catching up. One timer serves the whole write. When the
/// coordinator hears that a follower's node is reachable again, the entry goes to it at once rather
/// than at the next backoff step. The follower acknowledges a copy it holds without applying it twice.</para>
/// <para>The delays run on <see cref="TimeProvider"/> timers, not Akka's scheduler, whose tick
/// (100 ms in <c>akka.hocon</c>, 10 ms at the finest) would make every simulated delay late by half
/// a tick on average; the timeout and resends, where that does not matter, are Akka timers.</para>
/// </remarks>
internal sealed class WriteTracker : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan MaxResendAfter = TimeSpan.FromSeconds(4);

    private readonly LogEntry _entry;
    private readonly IReadOnlyList<FollowerRef> _followers;
    private readonly ReplicationSettings _settings;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly IActorRef _client;

    // Sets, not counters: a follower that answers twice (a resent entry) counts once.
    private readonly HashSet<string> _acknowledged = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly List<ITimer> _delays = [];
    private readonly HashSet<int> _sent = [];
    private readonly Dictionary<string, TimeSpan> _injectedDelays = new(StringComparer.Ordinal);
    private TimeSpan? _quorumDelay;
    private TimeSpan _resendAfter;
    private DateTimeOffset _startedAt;
    private bool _answered;
    private bool _finished;

    public WriteTracker(LogEntry entry, IReadOnlyList<FollowerRef> followers, ReplicationSettings settings, TimeProvider time, Random random, IActorRef client)
    {
        _entry = entry;
        _followers = followers;
        _settings = settings;
        _time = time;
        _random = random;
        _client = client;
        _resendAfter = settings.ResendAfter;

        Receive<SendDue>(due => Send(due.FollowerIndex));
        Receive<ResendDue>(_ =>
        {
            var silent = Enumerable.Range(0, _followers.Count).Where(i => _sent.Contains(i) && !Answered(_followers[i].Name)).ToList();
            if (_time.GetUtcNow() - _startedAt >= _settings.DeliveryWindow)
            {
                foreach (var i in silent)
                {
                    Failed(_followers[i].Name, $"no acknowledgement within {_settings.DeliveryWindow.TotalSeconds} s; the follower's catch-up will fetch seq {_entry.Seq}");
                }

                return;
            }

            foreach (var i in silent)
            {
                Send(i);
            }

            ArmResend();
        });

        Receive<FollowerReachable>(reachable =>
        {
            for (var i = 0; i < _followers.Count; i++)
            {
                if (_sent.Contains(i) && !Answered(_followers[i].Name) && _followers[i].Ref.Path.Address.Equals(reachable.Address))
                {
                    Send(i);
                }
            }
        });

        // A reply counts for the follower it comes from, whatever name it gives: one follower
        // cannot acknowledge for another.
        Receive<ReplicationMessages.Replicated>(ack =>
        {
            if (ack.Seq != _entry.Seq || FollowerOf(Sender) is not { } name)
            {
                Unhandled(ack);
                return;
            }

            if (_acknowledged.Add(name))
            {
                // The W-th distinct acknowledgement completes the quorum: its follower's simulated
                // delay is the injected part of the write's latency, which the 200 reports.
                if (_acknowledged.Count == _settings.WriteQuorum)
                {
                    _quorumDelay = _injectedDelays[name];
                }

                _failed.Remove(name);
                Context.Parent.Tell(new WriteCoordinatorMessages.FollowerAcknowledged(name, ack.Seq, ack.AppliedSeq));
            }
        });
        Receive<ReplicationMessages.ReplicationFailed>(failure =>
        {
            if (failure.Seq != _entry.Seq || FollowerOf(Sender) is not { } name)
            {
                Unhandled(failure);
                return;
            }

            Failed(name, failure.Error);
        });
        Receive<QuorumTimeout>(_ => !_answered, _ =>
        {
            Context.GetLogger().Warning(
                "Write seq {0}: {1} of {2} acknowledgements after {3} ms; answering 504, still replicating",
                _entry.Seq, _acknowledged.Count, _settings.WriteQuorum, _settings.ReplicationTimeout.TotalMilliseconds);
            Answer(committed: false);
        });
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props of the tracker for one write.</summary>
    /// <param name="entry">The entry, already applied on the leader.</param>
    /// <param name="followers">Every follower.</param>
    /// <param name="settings">W, delays and timeout.</param>
    /// <param name="time">The clock for the simulated delays (a fake one in specs).</param>
    /// <param name="random">Draws the delays; must be safe to share across threads (<see cref="Random.Shared"/>).</param>
    /// <param name="client">Who gets the <see cref="WriteOutcome"/>, exactly once.</param>
    /// <returns>The props.</returns>
    public static Props Props(LogEntry entry, IReadOnlyList<FollowerRef> followers, ReplicationSettings settings, TimeProvider time, Random random, IActorRef client) =>
        Akka.Actor.Props.Create(() => new WriteTracker(entry, followers, settings, time, random, client));

    /// <inheritdoc />
    protected override void PreStart()
    {
        _startedAt = _time.GetUtcNow();
        var min = (long)_settings.MinDelay.TotalMilliseconds;
        var max = (long)_settings.MaxDelay.TotalMilliseconds;
        var self = Self;
        var longest = TimeSpan.Zero;
        for (var i = 0; i < _followers.Count; i++)
        {
            var delay = TimeSpan.FromMilliseconds(_random.NextInt64(min, max + 1));
            _injectedDelays[_followers[i].Name] = delay;
            longest = delay > longest ? delay : longest;
            if (delay == TimeSpan.Zero)
            {
                // No simulated lag: send now rather than through a timer and this mailbox again.
                Send(i);
                continue;
            }

            var due = new SendDue(i);
            _delays.Add(_time.CreateTimer(_ => self.Tell(due), null, delay, Timeout.InfiniteTimeSpan));
        }

        Timers.StartSingleTimer(nameof(QuorumTimeout), QuorumTimeout.Instance, _settings.ReplicationTimeout);

        // One resend timer for the whole write, first due once every follower has been sent the entry.
        ArmResend(after: longest);
        AnswerIfDecided();
        StopIfFinished();
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        foreach (var timer in _delays)
        {
            timer.Dispose();
        }

        // Stopped before its work was done: the coordinator stops a tracker whose handler threw (a
        // restart would send the entry again), and stops them all when the node shuts down. The
        // client must still hear once, and the coordinator must not count it in flight forever.
        if (!_answered)
        {
            _answered = true;
            _client.Tell(new WriteOutcome.WriteFailed(_entry.Key, $"the leader stopped replicating seq {_entry.Seq} before W followers acknowledged it"));
        }

        if (!_finished)
        {
            _finished = true;
            Context.Parent.Tell(new WriteCoordinatorMessages.WriteFinished(_entry.Seq));
        }
    }

    /// <inheritdoc />
    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        finally
        {
            AnswerIfDecided();
            StopIfFinished();
        }
    }

    private void Send(int index)
    {
        _sent.Add(index);
        _followers[index].Ref.Tell(new ReplicationMessages.Replicate(_entry), Self);
    }

    // Due the current interval past `after`; each call doubles the next interval, up to MaxResendAfter.
    private void ArmResend(TimeSpan after = default)
    {
        Timers.StartSingleTimer(nameof(ResendDue), ResendDue.Instance, after + _resendAfter);
        _resendAfter = TimeSpan.FromTicks(Math.Min(_resendAfter.Ticks * 2, MaxResendAfter.Ticks));
    }

    // By path, not by reference equality: a remote sender's reference carries the follower
    // system's incarnation id, which the reference resolved from FOLLOWERS does not. ActorPath's
    // Equals compares address and names but not that id, and allocates nothing (Elements builds a
    // list per call, on every acknowledgement).
    private string? FollowerOf(IActorRef sender)
    {
        var from = sender.Path;
        foreach (var follower in _followers)
        {
            if (follower.Ref.Path.Equals(from))
            {
                return follower.Name;
            }
        }

        return null;
    }

    private bool Answered(string follower) => _acknowledged.Contains(follower) || _failed.Contains(follower);

    private void Failed(string follower, string error)
    {
        if (!_acknowledged.Contains(follower) && _failed.Add(follower))
        {
            Context.Parent.Tell(new WriteCoordinatorMessages.FollowerFailed(follower, _entry.Seq, error));
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
            ? new WriteOutcome.WriteCommitted(_entry.Key, _entry.Seq, acks, _settings.WriteQuorum, _quorumDelay)
            : new WriteOutcome.QuorumNotReached(_entry.Key, _entry.Seq, acks, _settings.WriteQuorum);
        _client.Tell(outcome);
        Context.Parent.Tell(new WriteCoordinatorMessages.WriteAnswered(_entry.Seq, committed));
    }

    private void StopIfFinished()
    {
        if (!_finished && _acknowledged.Count + _failed.Count == _followers.Count)
        {
            _finished = true;
            Context.Parent.Tell(new WriteCoordinatorMessages.WriteFinished(_entry.Seq));
            Context.Stop(Self);
        }
    }
}
