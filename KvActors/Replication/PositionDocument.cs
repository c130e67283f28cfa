using KvActors.Store;

namespace KvActors.Replication;

/// <summary>
/// The JSON body of <c>GET /replication/position</c> on a follower: where it stands in the
/// replication log, <c>{"node", "epoch", "appliedSeq", "heldBack": [entries]}</c>. A restarted leader
/// asks every follower for it before taking writes, picks the most advanced, and merges the entries
/// that followers hold back past a gap: one follower's held-back entry may be another's missing one.
/// </summary>
/// <param name="Node">The follower that answered.</param>
/// <param name="Epoch">The epoch of its applied state.</param>
/// <param name="AppliedSeq">Its applied <c>seq</c>.</param>
/// <param name="HeldBack">Entries of <paramref name="Epoch"/> it holds past a missing one, in the <c>POST /replication/entries</c> shape, oldest first.</param>
public sealed record PositionDocument(string Node, long Epoch, long AppliedSeq, IReadOnlyList<ReplicateRequest> HeldBack)
{
    /// <summary>The document for <paramref name="position"/>, served by <paramref name="node"/>.</summary>
    /// <param name="node">This follower's name.</param>
    /// <param name="position">Its position, read inside its store's mailbox.</param>
    /// <returns>The wire form.</returns>
    public static PositionDocument From(string node, StoreMessages.Position position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return new PositionDocument(node, position.Epoch, position.AppliedSeq, [.. position.HeldBack.Select(ReplicateRequest.From)]);
    }
}
