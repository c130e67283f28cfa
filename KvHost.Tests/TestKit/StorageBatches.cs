using System.Text.Json;
using KvActors.Storage;
using KvActors.Store;

namespace KvHost.Tests.TestKit;

/// <summary>Builds storage batches, and the state the store itself would hold after them.</summary>
public static class StorageBatches
{
    /// <summary>A leader's group commit: the entries logged and applied, the applied seq the last one's.</summary>
    public static StorageBatch Leader(long epoch, params LogEntry[] entries)
    {
        var batch = new StorageBatch { Epoch = epoch, AppliedSeq = entries[^1].Seq };
        batch.Logged.AddRange(entries);
        batch.Applied.AddRange(entries);
        return batch;
    }

    /// <summary><paramref name="count"/> leader batches of <paramref name="size"/> puts of keys k000001, k000002, ... in epoch 1.</summary>
    public static List<StorageBatch> Numbered(int count, int size, int padding = 0) =>
        [.. Enumerable.Range(0, count).Select(b => Leader(1, [.. Enumerable.Range(b * size + 1, size)
            .Select(s => Entries.Put(s, $"k{s:D6}", new { n = s, pad = new string('p', padding) }))]))];

    /// <summary>A put whose value is <paramref name="json"/> exactly as written, spacing included.</summary>
    public static LogEntry Raw(long seq, string key, string json, long epoch = 1) => new(epoch, seq, WriteOp.Put, key, JsonElement.Parse(json));

    /// <summary>The state the store itself (<see cref="StoreSnapshot.Apply"/>) holds after the batches' applied entries, in order.</summary>
    public static StoreSnapshot Expected(IEnumerable<StorageBatch> batches)
    {
        var state = StoreSnapshot.Empty(0);
        foreach (var batch in batches)
        {
            state = batch.Applied.Aggregate(state with { Epoch = batch.Epoch }, (s, e) => s.Apply(e));
        }

        return state;
    }
}
