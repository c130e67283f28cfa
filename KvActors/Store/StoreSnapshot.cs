using System.Collections.Immutable;

namespace KvActors.Store;

/// <summary>
/// An immutable view of a node's data after <see cref="AppliedSeq"/> entries: what reads see.
/// The store actor publishes a new one after each change; readers on any thread take the latest
/// without entering the actor's mailbox, so reads never queue behind writes and
/// <c>GET /kv</c> is always a consistent snapshot at one <c>seq</c>.
/// </summary>
/// <param name="Epoch">The leader epoch these entries belong to (0 on a follower that has seen none).</param>
/// <param name="AppliedSeq">The highest <c>seq</c> applied; every entry up to it is applied, none after it.</param>
/// <param name="Items">Live keys (tombstones removed), sorted by ordinal key for stable output.</param>
public sealed record StoreSnapshot(long Epoch, long AppliedSeq, ImmutableSortedDictionary<string, StoredValue> Items)
{
    /// <summary>The empty store of a node that has applied nothing in <paramref name="epoch"/>.</summary>
    /// <param name="epoch">The epoch to start in.</param>
    /// <returns>A snapshot with no items at <c>seq</c> 0.</returns>
    public static StoreSnapshot Empty(long epoch) =>
        new(epoch, 0, ImmutableSortedDictionary.Create<string, StoredValue>(StringComparer.Ordinal));

    /// <summary>This snapshot with <paramref name="entry"/> applied.</summary>
    /// <param name="entry">The next entry: its <c>seq</c> must be <see cref="AppliedSeq"/> + 1.</param>
    /// <returns>The new snapshot.</returns>
    /// <exception cref="InvalidOperationException">The entry is not the next one: applying it would leave a gap or apply twice.</exception>
    public StoreSnapshot Apply(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Seq != AppliedSeq + 1)
        {
            throw new InvalidOperationException($"entry seq {entry.Seq} is not next after applied seq {AppliedSeq}");
        }

        var items = entry.Op == WriteOp.Put
            ? Items.SetItem(entry.Key, new StoredValue(entry.Value!.Value, entry.Seq))
            : Items.Remove(entry.Key);
        return new StoreSnapshot(Epoch, entry.Seq, items);
    }
}
