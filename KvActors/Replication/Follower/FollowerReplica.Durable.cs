using KvActors.Store;

namespace KvActors.Replication.Follower;

/// <summary>
/// What a durable follower adds to the replica: it starts from the state its disk holds, and it
/// learns after each message what changed, so that it writes that before it sends the replies that
/// came with it (a follower makes an entry durable before it acknowledges it).
/// </summary>
public sealed partial class FollowerReplica<TWaiter>
{
    // Null on an in-memory follower: nothing to record.
    private ReplicaChanges? _changes;

    /// <summary>
    /// Starts from the state a restarted follower's disk holds instead of the empty one, and records
    /// changes from now on (see <see cref="TakeChanges"/>). Call once, before the first message.
    /// </summary>
    /// <param name="state">The stored state: epoch, applied <c>seq</c> and items.</param>
    /// <param name="heldBack">
    /// Stored entries; those of the state's epoch after its applied <c>seq</c> are held back again
    /// (they were acknowledged before the restart), any others are dropped.
    /// </param>
    /// <exception cref="InvalidOperationException">The replica has already taken entries.</exception>
    public void Restore(StoreSnapshot state, IEnumerable<LogEntry> heldBack)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(heldBack);
        if (State.Epoch != 0 || WaitingCount != 0 || _changes is not null)
        {
            throw new InvalidOperationException("a replica is restored once, before it takes any entry");
        }

        State = state;
        foreach (var entry in heldBack.Where(e => e.Epoch == state.Epoch && e.Seq > state.AppliedSeq && e.Seq - state.AppliedSeq <= MaxHoldBack))
        {
            _heldBack[entry.Seq] = entry;
        }

        _changes = new ReplicaChanges();

        // A held-back entry may have become applicable only through another one that was stored too.
        ApplyContiguous([]);
    }

    /// <summary>What changed since the last call (or since <see cref="Restore"/>), and a fresh record for what follows.</summary>
    /// <returns>The changes; empty when the replica was never restored (an in-memory follower).</returns>
    public ReplicaChanges TakeChanges()
    {
        if (_changes is not { IsEmpty: false } changes)
        {
            return ReplicaChanges.None;
        }

        _changes = new ReplicaChanges();
        return changes;
    }
}
