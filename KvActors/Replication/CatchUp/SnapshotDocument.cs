using System.Collections.Immutable;
using System.Text.Json;
using KvActors.Store;

namespace KvActors.Replication.CatchUp;

/// <summary>
/// The JSON body of <c>GET /replication/snapshot</c>: a node's whole state at one <c>seq</c>,
/// <c>{"node": "leader", "epoch": 7, "seq": 42, "items": {"k1": {"value": ..., "seq": 40}}}</c>.
/// A follower installs the leader's when it must resync fully; a restarted leader takes the most
/// advanced follower's before it accepts writes.
/// </summary>
/// <param name="Node">The node that served it.</param>
/// <param name="Epoch">The leader epoch the state belongs to.</param>
/// <param name="Seq">The applied <c>seq</c> the state is at.</param>
/// <param name="Items">Every live key with its value and the <c>seq</c> of the write that set it.</param>
public sealed record SnapshotDocument(string Node, long Epoch, long Seq, IReadOnlyDictionary<string, SnapshotDocument.Item> Items)
{
    /// <summary>One key of the snapshot.</summary>
    /// <param name="Value">The value.</param>
    /// <param name="Seq">The <c>seq</c> of the write that set it, at most the snapshot's.</param>
    public sealed record Item(JsonElement Value, long Seq);

    /// <summary>The document for <paramref name="snapshot"/>, served by <paramref name="node"/>.</summary>
    /// <param name="node">This node's name.</param>
    /// <param name="snapshot">The state.</param>
    /// <returns>The wire form.</returns>
    public static SnapshotDocument From(string node, StoreSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var items = snapshot.Items.ToDictionary(i => i.Key, i => new Item(i.Value.Value, i.Value.Seq), StringComparer.Ordinal);
        return new SnapshotDocument(node, snapshot.Epoch, snapshot.AppliedSeq, items);
    }

    /// <summary>The state this document describes, in <paramref name="epoch"/>.</summary>
    /// <param name="epoch">The epoch to give the state: the document's own on a follower, the new one on a recovering leader.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="FormatException">A key is invalid, or an item's <c>seq</c> is outside 1 to the snapshot's.</exception>
    public StoreSnapshot ToStoreSnapshot(long epoch)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, StoredValue>(StringComparer.Ordinal);
        foreach (var (key, item) in Items ?? new Dictionary<string, Item>())
        {
            if (KeyRules.Validate(key) is not null || item is null || item.Seq < 1 || item.Seq > Seq || item.Value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                throw new FormatException($"snapshot at seq {Seq} from {Node}: item '{key}' is not a valid item");
            }

            builder[key] = new StoredValue(item.Value.Clone(), item.Seq);
        }

        return new StoreSnapshot(epoch, Seq, builder.ToImmutable());
    }
}
