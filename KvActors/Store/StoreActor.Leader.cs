namespace KvActors.Store;

/// <summary>The leader's half of the store: numbering and applying client writes.</summary>
public sealed partial class StoreActor
{
    private void HandleAppend(StoreMessages.Append append)
    {
        if (_log is null)
        {
            append.ReplyTo.Tell(new StoreMessages.AppendFailed(append.CorrelationId, "this node is not the leader"));
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
}
