using Microsoft.Extensions.Logging;

namespace KvActors.Store;

/// <summary>The leader's half of the store: numbering and applying client writes, serving its log for catch-up.</summary>
public sealed partial class StoreActor
{
    private void HandleBecomeLeader(StoreMessages.BecomeLeader become)
    {
        if (_log is null || _snapshot.Epoch != 0)
        {
            throw new InvalidOperationException(_log is null ? "a follower cannot become the leader" : "this leader already has an epoch");
        }

        var recovered = become.Recovered;

        // The log continues after the recovered seq, so seq stays one gap-free sequence across
        // leader restarts and followers that hold the recovered state need only what follows it.
        _log.Reset(recovered.AppliedSeq);
        Publish(recovered);
        become.Reply.TrySetResult(recovered);
    }

    private void HandleAppend(StoreMessages.Append append)
    {
        if (_log is null || _snapshot.Epoch == 0)
        {
            var why = _log is null ? "this node is not the leader" : "the leader is still recovering";
            append.ReplyTo.Tell(new StoreMessages.AppendFailed(append.CorrelationId, why));
            return;
        }

        var snapshot = _snapshot;
        var command = append.Command;
        if (command.Op == WriteOp.Delete && !snapshot.Items.ContainsKey(command.Key))
        {
            // A delete of nothing takes no seq: it would replicate a no-op and tell the client it removed something.
            append.ReplyTo.Tell(new StoreMessages.AppendRejected(append.CorrelationId, $"no key '{command.Key}'", KeyNotFound: true));
            return;
        }

        // The mailbox serialises appends, so seq order is the order writes were applied here: the
        // one order every follower will apply them in.
        var entry = new LogEntry(snapshot.Epoch, snapshot.AppliedSeq + 1, command.Op, command.Key, command.Value);
        var next = snapshot.Apply(entry);
        _log.Append(entry);
        Publish(next);
        append.ReplyTo.Tell(new StoreMessages.Appended(entry, append.CorrelationId));
    }

    private void HandleReadLog(StoreMessages.ReadLog read)
    {
        if (_log is null)
        {
            throw new InvalidOperationException("only the leader serves its replication log");
        }

        // Read here, inside the mailbox, because the log is not thread-safe; a page is a copy.
        var snapshot = _snapshot;
        IReadOnlyList<LogEntry> entries = [];
        var partial = snapshot.Epoch != 0 && read.Epoch == snapshot.Epoch && _log.TryGetEntriesAfter(read.After, read.Limit, out entries);
        read.Reply.TrySetResult(new StoreMessages.LogRead(snapshot.Epoch, snapshot.AppliedSeq, FullResyncRequired: !partial, partial ? entries : []));
        if (!partial)
        {
            LogFullResync(Logger, read.Epoch, read.After, snapshot.Epoch, _log.FirstSeq);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A follower at epoch {FollowerEpoch} seq {After} needs a full resync (leader epoch {Epoch}, backlog from seq {FirstSeq})")]
    private static partial void LogFullResync(ILogger logger, long followerEpoch, long after, long epoch, long firstSeq);
}
