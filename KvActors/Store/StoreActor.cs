using Akka.Actor;
using Akka.Event;
using KvActors.Replication;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Replication.Wire;
using KvActors.Storage;
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
/// <para>On a durable node (<c>DATA_DIR</c>) each change is written to the node's
/// <see cref="NodeStorage"/> before the replies that depend on it go out: appends, acknowledgements
/// and a recovered state wait for their batch (<see cref="GroupCommit"/>), so nothing is answered
/// that a killed process would not find again on its disk.</para>
/// <para>A message whose handler throws fails only its own reply (an <see cref="AppendFailed"/> or a
/// <see cref="Status.Failure"/>); the guardian's <see cref="ResumeOnFailure"/> strategy keeps the
/// actor and its data, since a restart would start the store empty.</para>
/// </remarks>
public sealed class StoreActor : ReceiveActor
{
    private readonly StoreView _view;
    private readonly string _node = "leader";

    // Null on an in-memory node: every reply goes at once.
    private readonly GroupCommit? _commit;

    // Leader restarted from its own disk: the epoch its own continues, for followers still in it.
    private ContinuedEpoch? _continues;

    /// <summary>A leader's store; use <see cref="ForLeader"/>.</summary>
    /// <param name="view">Where it publishes its state.</param>
    /// <param name="log">Its replication log.</param>
    /// <param name="storage">Its disk, or null for a leader that keeps its data in memory only.</param>
    public StoreActor(StoreView view, ReplicationLog log, NodeStorage? storage)
    {
        _view = view;
        _commit = storage is null ? null : new GroupCommit(storage);
        Receive<BecomeLeader>(become => HandleBecomeLeader(log, become));
        Receive<Append>(append => HandleAppend(log, append));
        Receive<ReadLog>(read => HandleReadLog(log, read));
        ReceiveDiskReplies();
    }

    /// <summary>A follower's store; use <see cref="ForFollower"/>.</summary>
    /// <param name="view">Where it publishes its state.</param>
    /// <param name="follower">This follower's name and HTTP base URL, as its answers give them.</param>
    /// <param name="ackMode">When it acknowledges.</param>
    /// <param name="logger">For epoch changes and installed snapshots.</param>
    /// <param name="disk">Its disk and what it held at start, or null for a follower that keeps its data in memory only.</param>
    public StoreActor(StoreView view, FollowerIdentity follower, AckMode ackMode, ILogger logger, StoredNodeOnDisk? disk)
    {
        ArgumentNullException.ThrowIfNull(follower);
        _view = view;
        _node = follower.Node;
        var replica = new FollowerReplica<IActorRef>(ackMode, logger);
        if (disk is not null)
        {
            _commit = new GroupCommit(disk.Storage);
            replica.Restore(disk.Stored.State, disk.Stored.Log);
            _view.Publish(replica.State, replica.WaitingCount, replica.PendingEpoch);
        }

        Receive<ReplicationMessages.Replicate>(message => Send(replica, replica.Replicate(message.Entry, Sender)));
        Receive<ApplyCaughtUp>(message =>
        {
            Send(replica, replica.CatchUp(message.LeaderEpoch, message.Entries, message.Continues));
            Sender.Tell(replica.State.AppliedSeq);
        });
        Receive<InstallSnapshot>(message =>
        {
            var installed = replica.Install(message.Snapshot, out var due);
            Send(replica, due);
            Sender.Tell(installed);
        });
        Receive<ReplicationMessages.ReadPosition>(_ => Sender.Tell(PositionDocument.From(follower.Node, follower.Url, replica.Position)));
        ReceiveDiskReplies();
    }

    /// <summary>The leader's store, in no epoch: it refuses appends until a <see cref="BecomeLeader"/>.</summary>
    /// <param name="view">Where it publishes its state for readers.</param>
    /// <param name="log">The replication log to append to; owned by the actor from now on.</param>
    /// <param name="storage">
    /// Its disk (owned by the actor from now on), or null to keep the data in memory only. What the
    /// disk held at start is not taken here: recovery weighs it against the followers' and hands the
    /// winner to <see cref="BecomeLeader"/>.
    /// </param>
    /// <returns>The props.</returns>
    public static Props ForLeader(StoreView view, ReplicationLog log, NodeStorage? storage = null) => Props.Create(() => new StoreActor(view, log, storage));

    /// <summary>A follower's store: the state its disk holds, or empty and in no epoch until its first snapshot is installed.</summary>
    /// <param name="view">Where it publishes its state for readers.</param>
    /// <param name="follower">This follower's name and HTTP base URL.</param>
    /// <param name="ackMode">When to acknowledge an entry: on receipt or once applied.</param>
    /// <param name="logger">For epoch changes and installed snapshots.</param>
    /// <param name="disk">Its disk (owned by the actor from now on) and what it held at start; null keeps the data in memory only.</param>
    /// <returns>The props.</returns>
    public static Props ForFollower(StoreView view, FollowerIdentity follower, AckMode ackMode, ILogger logger, StoredNodeOnDisk? disk = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (disk is not null)
        {
            // Now, not in the constructor, which runs later on the dispatcher: the catch-up's first
            // request must already ask from the stored position, or it would fetch a snapshot.
            view.Publish(disk.Stored.State);
        }

        return Props.Create(() => new StoreActor(view, follower, ackMode, logger, disk));
    }

    /// <inheritdoc />
    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            var handled = base.AroundReceive(receive, message);

            // After every message, so that what it changed is written (and its replies sent) at the
            // first moment the disk is free: the group commit.
            var state = _view.Current;
            _commit?.Flush(Self, state.Epoch, state.AppliedSeq);
            return handled;
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

    private void ReceiveDiskReplies()
    {
        Receive<GroupCommit.Written>(_ =>
        {
            var state = _view.Current;
            _commit!.OnWritten(Self, state.Epoch, state.AppliedSeq);
        });
        Receive<GroupCommit.WriteFailed>(failed =>
        {
            // The state in memory is now ahead of the disk, and the writes waiting on this batch must
            // never be acknowledged: stop the node, as PostgreSQL panics on a failed fsync. Restarted,
            // it starts from what its disk holds and catches up the rest.
            Context.GetLogger().Error(failed.Error, "Writing to the disk failed; stopping the node: {0}", failed.Error.Message);
            Context.System.Terminate();
            Become(_ => { });
        });
    }

    // The backlog must run without a gap up to the recovered seq to stand for the old epoch's history.
    private static bool Continues(OwnHistory own, long recoveredSeq)
    {
        for (var i = 1; i < own.Backlog.Count; i++)
        {
            if (own.Backlog[i].Seq != own.Backlog[i - 1].Seq + 1)
            {
                return false;
            }
        }

        return own.Backlog.Count == 0 || own.Backlog[^1].Seq == recoveredSeq;
    }

    private void Reply(object message) => ReplyTo(Sender, message);

    // At once on an in-memory node; on a durable one once what it answers for is on disk.
    private void ReplyTo(IActorRef to, object message)
    {
        if (_commit is null)
        {
            to.Tell(message);
        }
        else
        {
            _commit.Reply(to, message);
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
        if (become.Own is { } own && Continues(own, become.Recovered.AppliedSeq))
        {
            // From its own disk: the old epoch's backlog serves its followers, which continue into
            // this epoch with the entries they missed instead of a snapshot each.
            log.Reset(own.Backlog.Count == 0 ? become.Recovered.AppliedSeq : own.Backlog[0].Seq - 1);
            foreach (var entry in own.Backlog)
            {
                log.Append(entry);
            }

            _continues = new ContinuedEpoch(own.PreviousEpoch, become.Recovered.AppliedSeq);
        }
        else
        {
            log.Reset(become.Recovered.AppliedSeq);
        }

        _view.Publish(become.Recovered);
        if (_commit is not null && become.Own is null)
        {
            // Recovered from a follower (or nothing): the disk holds this state before the first write.
            _commit.Replace(become.Recovered);
        }

        Reply(become.Recovered);
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
        if (_commit is { } commit)
        {
            // On disk before the coordinator sends it to any follower: a restarted leader then holds
            // every entry a follower may hold.
            commit.Batch.Logged.Add(entry);
            commit.Batch.Applied.Add(entry);
        }

        Reply(new Appended(entry, append.CorrelationId));
    }

    private void HandleReadLog(ReplicationLog log, ReadLog read)
    {
        // Read here, inside the mailbox, because the log is not thread-safe; a page is a copy.
        var snapshot = _view.Current;
        IReadOnlyList<LogEntry> entries = [];
        var continued = _continues is { } c && read.Epoch == c.PreviousEpoch && read.After <= c.LastSeq;
        var partial = snapshot.Epoch != 0 && (read.Epoch == snapshot.Epoch || continued) && log.TryGetEntriesAfter(read.After, read.Limit, out entries);
        Sender.Tell(new LogRead(snapshot.Epoch, snapshot.AppliedSeq, FullResyncRequired: !partial, partial ? entries : [], partial && continued ? _continues : null));
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
        if (_commit is { } commit)
        {
            // A follower makes an entry durable before it acknowledges it.
            var changes = replica.TakeChanges();
            if (changes.Snapshot is { } snapshot)
            {
                commit.Replace(snapshot);
            }
            else if (changes.EpochContinued)
            {
                // What this batch was to log is of the old epoch's history: only what is held back now counts.
                commit.Batch.Logged.Clear();
                commit.Batch.ClearLog = true;
            }

            commit.Batch.Applied.AddRange(changes.Applied);
            commit.Batch.Logged.AddRange(changes.HeldBack);
        }

        foreach (var (waiter, outcome) in replies)
        {
            object message = outcome switch
            {
                ReplicateOutcome.Acknowledged ack => new ReplicationMessages.Replicated(_node, ack.Seq, ack.AppliedSeq),
                ReplicateOutcome.StaleEpoch stale => new ReplicationMessages.ReplicationFailed(_node, stale.Seq, $"stale epoch: this follower is at epoch {stale.CurrentEpoch}"),
                ReplicateOutcome.TooFarAhead ahead => new ReplicationMessages.ReplicationFailed(_node, ahead.Seq, $"too far ahead: applied seq {ahead.AppliedSeq}, at most {ahead.MaxAhead} entries may be held back"),
                _ => throw new InvalidOperationException($"unknown outcome {outcome}"),
            };
            ReplyTo(waiter, message);
        }
    }
}
