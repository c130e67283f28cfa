using Akka.Actor;
using Akka.Event;
using KvActors.Replication;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Replication.Wire;
using Microsoft.Extensions.Logging;
using static KvActors.Store.StoreMessages;

namespace KvActors.Store;

/// <summary>
/// Owns a node's data. On the leader it gives each write the next <c>seq</c>, applies it and appends
/// it to the replication log; on a follower it applies replicated entries strictly in <c>seq</c>
/// order through its <see cref="FollowerReplica{TWaiter}"/>.
/// </summary>
/// <remarks>
/// <para>Accepts, on the leader, <see cref="BecomeLeader"/>, <see cref="Append"/> and
/// <see cref="ReadLog"/>; on a follower, from the leader's actors over Akka.Remote,
/// <see cref="ReplicationMessages.Replicate"/> and <see cref="ReplicationMessages.ReadPosition"/>,
/// and locally <see cref="ApplyCaughtUp"/> and <see cref="InstallSnapshot"/> from the catch-up.
/// Every reply goes to the sender; an applied-mode acknowledgement may go later, once its entry
/// is applied. A follower's store is the only actor a remote node can reach on it (untrusted mode).</para>
/// <para>Reads do not enter the mailbox: after each change the actor publishes an immutable
/// <see cref="StoreSnapshot"/> to its <see cref="StoreView"/>, which any thread reads.</para>
/// <para>A message whose handler throws fails only its own reply (an <see cref="AppendFailed"/> or a
/// <see cref="Status.Failure"/>); the guardian's <see cref="ResumeOnFailure"/> strategy keeps the
/// actor and its data, since a restart would start the store empty.</para>
/// </remarks>
public sealed class StoreActor : ReceiveActor
{
    private readonly StoreView _view;
    private readonly string _node = "leader";

    /// <summary>A leader's store; use <see cref="ForLeader"/>.</summary>
    /// <param name="view">Where it publishes its state.</param>
    /// <param name="log">Its replication log.</param>
    public StoreActor(StoreView view, ReplicationLog log)
    {
        _view = view;
        Receive<BecomeLeader>(become => HandleBecomeLeader(log, become));
        Receive<Append>(append => HandleAppend(log, append));
        Receive<ReadLog>(read => HandleReadLog(log, read));
    }

    /// <summary>A follower's store; use <see cref="ForFollower"/>.</summary>
    /// <param name="view">Where it publishes its state.</param>
    /// <param name="follower">This follower's name and HTTP base URL, as its answers give them.</param>
    /// <param name="ackMode">When it acknowledges.</param>
    /// <param name="logger">For epoch changes and installed snapshots.</param>
    public StoreActor(StoreView view, FollowerIdentity follower, AckMode ackMode, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(follower);
        _view = view;
        _node = follower.Node;
        var replica = new FollowerReplica<IActorRef>(ackMode, logger);
        Receive<ReplicationMessages.Replicate>(message => Send(replica, replica.Replicate(message.Entry, Sender)));
        Receive<ApplyCaughtUp>(message =>
        {
            Send(replica, replica.CatchUp(message.LeaderEpoch, message.Entries));
            Sender.Tell(replica.State.AppliedSeq);
        });
        Receive<InstallSnapshot>(message =>
        {
            var installed = replica.Install(message.Snapshot, out var due);
            Send(replica, due);
            Sender.Tell(installed);
        });
        Receive<ReplicationMessages.ReadPosition>(_ => Sender.Tell(PositionDocument.From(follower.Node, follower.Url, replica.Position)));
    }

    /// <summary>The leader's store, in no epoch: it refuses appends until a <see cref="BecomeLeader"/>.</summary>
    /// <param name="view">Where it publishes its state for readers.</param>
    /// <param name="log">The replication log to append to; owned by the actor from now on.</param>
    /// <returns>The props.</returns>
    public static Props ForLeader(StoreView view, ReplicationLog log) => Props.Create(() => new StoreActor(view, log));

    /// <summary>A follower's store: empty, in no epoch until its first snapshot is installed.</summary>
    /// <param name="view">Where it publishes its state for readers.</param>
    /// <param name="follower">This follower's name and HTTP base URL.</param>
    /// <param name="ackMode">When to acknowledge an entry: on receipt or once applied.</param>
    /// <param name="logger">For epoch changes and installed snapshots.</param>
    /// <returns>The props.</returns>
    public static Props ForFollower(StoreView view, FollowerIdentity follower, AckMode ackMode, ILogger logger) =>
        Props.Create(() => new StoreActor(view, follower, ackMode, logger));

    /// <inheritdoc />
    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception ex)
        {
            Sender.Tell(message switch
            {
                Append append => new AppendFailed(append.CorrelationId, ex.Message),

                // Answered in the protocol's own terms: the sender may be a remote node, which takes no exceptions.
                ReplicationMessages.Replicate replicate => new ReplicationMessages.ReplicationFailed(_node, replicate.Entry.Seq, ex.Message),
                _ => new Status.Failure(ex),
            });
            throw;
        }
    }

    private void HandleBecomeLeader(ReplicationLog log, BecomeLeader become)
    {
        if (_view.Current.Epoch != 0)
        {
            throw new InvalidOperationException("this leader already has an epoch");
        }

        // The log continues after the recovered seq, so seq stays one gap-free sequence across
        // leader restarts and followers that hold the recovered state need only what follows it.
        log.Reset(become.Recovered.AppliedSeq);
        _view.Publish(become.Recovered);
        Sender.Tell(become.Recovered);
    }

    private void HandleAppend(ReplicationLog log, Append append)
    {
        var snapshot = _view.Current;
        if (snapshot.Epoch == 0)
        {
            Sender.Tell(new AppendFailed(append.CorrelationId, "the leader is still recovering"));
            return;
        }

        var command = append.Command;
        if (command.Op == WriteOp.Delete && !snapshot.Items.ContainsKey(command.Key))
        {
            // A delete of nothing takes no seq: it would replicate a no-op and tell the client it removed something.
            Sender.Tell(new AppendRejected(append.CorrelationId, $"no key '{command.Key}'", KeyNotFound: true));
            return;
        }

        // The mailbox serialises appends, so seq order is the order writes were applied here: the
        // one order every follower will apply them in.
        var entry = new LogEntry(snapshot.Epoch, snapshot.AppliedSeq + 1, command.Op, command.Key, command.Value);
        var next = snapshot.Apply(entry);
        log.Append(entry);
        _view.Publish(next);
        Sender.Tell(new Appended(entry, append.CorrelationId));
    }

    private void HandleReadLog(ReplicationLog log, ReadLog read)
    {
        // Read here, inside the mailbox, because the log is not thread-safe; a page is a copy.
        var snapshot = _view.Current;
        IReadOnlyList<LogEntry> entries = [];
        var partial = snapshot.Epoch != 0 && read.Epoch == snapshot.Epoch && log.TryGetEntriesAfter(read.After, read.Limit, out entries);
        Sender.Tell(new LogRead(snapshot.Epoch, snapshot.AppliedSeq, FullResyncRequired: !partial, partial ? entries : []));
        if (!partial)
        {
            Context.GetLogger().Info(
                "A follower at epoch {0} seq {1} needs a full resync (leader epoch {2}, backlog from seq {3})",
                read.Epoch, read.After, snapshot.Epoch, log.FirstSeq);
        }
    }

    private void Send(FollowerReplica<IActorRef> replica, IReadOnlyList<(IActorRef Waiter, ReplicateOutcome Outcome)> replies)
    {
        _view.Publish(replica.State, replica.WaitingCount, replica.PendingEpoch);
        foreach (var (waiter, outcome) in replies)
        {
            waiter.Tell(outcome switch
            {
                ReplicateOutcome.Acknowledged ack => new ReplicationMessages.Replicated(_node, ack.Seq, ack.AppliedSeq),
                ReplicateOutcome.StaleEpoch stale => new ReplicationMessages.ReplicationFailed(_node, stale.Seq, $"stale epoch: this follower is at epoch {stale.CurrentEpoch}"),
                ReplicateOutcome.TooFarAhead ahead => new ReplicationMessages.ReplicationFailed(_node, ahead.Seq, $"too far ahead: applied seq {ahead.AppliedSeq}, at most {ahead.MaxAhead} entries may be held back"),
                _ => throw new InvalidOperationException($"unknown outcome {outcome}"),
            });
        }
    }
}
