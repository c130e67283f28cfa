using Akka.Actor;
using static KvActors.Replication.Leader.WriteCoordinatorMessages;

namespace KvActors.Replication.Leader;

/// <summary>
/// What the coordinator adds for writes that carry an <c>Idempotency-Key</c>: a retry is applied
/// once, and gets the first request's write back, in its current state.
/// </summary>
/// <remarks>
/// <para>Why here and not at the HTTP edge: the coordinator's mailbox already orders every write,
/// its <c>seq</c>, its acknowledgements and its answer, so the table needs no lock, and a retry that
/// arrives while the original is still in flight simply waits in the same mailbox's state. At the
/// edge the same would need a concurrent map plus a completion per key, and would still not see the
/// acknowledgements that come after a 504.</para>
/// <para>A retry that arrives while its original is in flight waits for the original's answer (it
/// does not get the draft's optional 409): a client that retried after a lost connection wants the
/// outcome, and the wait is at most the replication timeout. A retry of an answered write is
/// answered at once with the write's <em>current</em> state rather than a copy of the first answer:
/// 200 if W distinct followers hold its <c>seq</c> by now, 504 with the acknowledgements so far if
/// not. A write first answered 504 that has since reached W is therefore a 200 on retry, which is
/// what the client retried to learn; a 200 never turns back into a 504, since the count only grows.</para>
/// <para>A follower counts as holding the <c>seq</c> once it acknowledged it (its tracker reports
/// each distinct acknowledgement, also those after the answer) or reported an applied <c>seq</c> at
/// or past it (acknowledgements of later writes, catch-up fetches), so a write repaired by catch-up
/// after its tracker gave up still counts.</para>
/// </remarks>
public sealed partial class WriteCoordinator
{
    private readonly IdempotencyTable<IActorRef> _idempotency;

    // True when the write is new and goes on to the store; otherwise its sender was answered or waits.
    private bool Admit(Write write, IdempotentRequest idempotency)
    {
        switch (_idempotency.Begin(idempotency, write.Command.Key, Sender, _time.GetUtcNow(), out var entry))
        {
            case IdempotencyTable<IActorRef>.Admission.New:
                return true;
            case IdempotencyTable<IActorRef>.Admission.Replay:
                Sender.Tell(CurrentOutcome(entry!));
                break;
            case IdempotencyTable<IActorRef>.Admission.Mismatch:
                Sender.Tell(new WriteOutcome.IdempotencyKeyReused(write.Command.Key, idempotency.IdempotencyKey));
                break;
            case IdempotencyTable<IActorRef>.Admission.Joined:
                // Answered by AnswerRetries once the original's tracker answers.
                break;
        }

        return false;
    }

    // A write refused before it got a seq changed nothing: its retries waiting get the same refusal,
    // and the key is free again.
    private void Refuse(IActorRef client, string? idempotencyKey, WriteOutcome outcome)
    {
        client.Tell(outcome);
        if (idempotencyKey is not null)
        {
            foreach (var retry in _idempotency.Abandon(idempotencyKey))
            {
                retry.Tell(outcome with { Replayed = true });
            }
        }
    }

    private void AnswerRetries(long seq)
    {
        if (_idempotency.Answered(seq, _time.GetUtcNow()) is not { } answered || answered.Waiters.Count == 0)
        {
            return;
        }

        var outcome = CurrentOutcome(answered.Entry);
        foreach (var retry in answered.Waiters)
        {
            retry.Tell(outcome);
        }
    }

    private WriteOutcome CurrentOutcome(IdempotencyTable<IActorRef>.Entry entry)
    {
        var acks = 0;
        for (var i = 0; i < _followers.Count; i++)
        {
            if (entry.Acknowledged.Contains(_followers[i].Name) || _progress[i].AppliedSeq >= entry.Seq)
            {
                acks++;
            }
        }

        // No Server-Timing quorum delay: this answer waited for no acknowledgement of its own.
        WriteOutcome outcome = acks >= _settings.WriteQuorum
            ? new WriteOutcome.WriteCommitted(entry.DataKey, entry.Seq, acks, _settings.WriteQuorum, QuorumDelay: null)
            : new WriteOutcome.QuorumNotReached(entry.DataKey, entry.Seq, acks, _settings.WriteQuorum);
        return outcome with { Replayed = true };
    }
}
