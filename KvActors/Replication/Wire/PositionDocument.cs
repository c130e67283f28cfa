using KvActors.Store;

namespace KvActors.Replication.Wire;

/// <summary>
/// A follower's answer to <see cref="ReplicationMessages.ReadPosition"/>: where it stands in the
/// replication log, <c>{"node", "epoch", "appliedSeq", "heldBack": [entries], "url"}</c>. A restarted
/// leader asks every follower for it before taking writes, picks the most advanced, fetches that
/// one's snapshot from <c>{url}/replication/snapshot</c>, and merges the entries that followers hold
/// back past a gap: one follower's held-back entry may be another's missing one.
/// </summary>
/// <param name="Node">The follower that answered.</param>
/// <param name="Epoch">The epoch of its applied state.</param>
/// <param name="AppliedSeq">Its applied <c>seq</c>.</param>
/// <param name="HeldBack">Entries of <paramref name="Epoch"/> it holds past a missing one, oldest first.</param>
/// <param name="Url">
/// The follower's HTTP base URL (<c>http://AKKA_HOSTNAME:PORT</c>): snapshots have no size bound, so
/// they travel over HTTP, not as one Akka message.
/// </param>
public sealed record PositionDocument(string Node, long Epoch, long AppliedSeq, IReadOnlyList<EntryDocument> HeldBack, Uri Url)
{
    /// <summary>The document for <paramref name="position"/>.</summary>
    /// <param name="node">This follower's name.</param>
    /// <param name="url">This follower's HTTP base URL.</param>
    /// <param name="position">Its position, read inside its store's mailbox.</param>
    /// <returns>The wire form.</returns>
    public static PositionDocument From(string node, Uri url, StoreMessages.Position position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return new PositionDocument(node, position.Epoch, position.AppliedSeq, [.. position.HeldBack.Select(EntryDocument.From)], url);
    }
}
