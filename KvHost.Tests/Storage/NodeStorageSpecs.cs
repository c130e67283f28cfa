using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using KvActors.Storage;
using KvActors.Store;
using KvHost.Tests.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static KvHost.Tests.TestKit.StorageBatches;

namespace KvHost.Tests.Storage;

/// <summary>
/// A node's storage through the real SQLite engine, on real files in a fresh directory per spec:
/// what a batch writes, what the retention keeps, and that a reopened file holds exactly that.
/// </summary>
public sealed class NodeStorageSpecs(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(FsyncPolicy.Always)]
    [InlineData(FsyncPolicy.EverySec)]
    [InlineData(FsyncPolicy.No)]
    public void Puts_and_deletes_over_several_batches_reload_as_the_same_state_and_log(FsyncPolicy fsync)
    {
        var dir = _temp.Sub("node");
        var batches = MixedBatches();
        using (var storage = NodeStorage.Open(dir, fsync, retainedEntries: 100, NullLogger.Instance))
        {
            StoredText.Of(storage.Load().State).Should().Equal("epoch 0 seq 0");
            batches.ForEach(storage.Write);
        }

        using var reopened = NodeStorage.Open(dir, fsync, retainedEntries: 100, NullLogger.Instance);
        var loaded = reopened.Load();

        StoredText.Of(loaded.State).Should().Equal(StoredText.Of(Expected(batches)));
        StoredText.Of(loaded.Log).Should().Equal(StoredText.Of(batches.SelectMany(b => b.Logged)));
        reopened.Fsync.Should().Be(fsync);
        reopened.DatabasePath.Should().Be(Path.Combine(Path.GetFullPath(dir), NodeStorage.FileName));
    }

    [Fact]
    public void Replace_replaces_the_items_and_empties_the_log_before_the_rest_of_its_batch()
    {
        var dir = _temp.Sub("node");
        var recovered = new StoreSnapshot(3, 40, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
        [
            new KeyValuePair<string, StoredValue>("x", new StoredValue(Json("[1, 2]"), 38)),
            new KeyValuePair<string, StoredValue>("y", new StoredValue(Json("\"why\""), 40)),
        ]));
        var replacing = new StorageBatch { Replace = recovered, Epoch = 3, AppliedSeq = 41 };
        replacing.Logged.Add(Raw(41, "z", "{ \"z\": 1 }", epoch: 3));
        replacing.Applied.Add(replacing.Logged[0]);

        using (var storage = NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 100, NullLogger.Instance))
        {
            storage.Write(Leader(1, Entries.Put(1, "a", 1), Entries.Put(2, "x", "old")));
            storage.Write(replacing);
        }

        using var reopened = NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 100, NullLogger.Instance);
        var loaded = reopened.Load();

        StoredText.Of(loaded.State).Should().Equal("epoch 3 seq 41", "x=[1, 2]@38", "y=\"why\"@40", "z={ \"z\": 1 }@41");
        StoredText.Of(loaded.Log).Should().Equal("3/41 Put z { \"z\": 1 }");
    }

    [Fact]
    public void Logged_entries_above_the_applied_seq_reload_as_held_back_until_applied()
    {
        var dir = _temp.Sub("follower");
        var heldBack = new StorageBatch { Epoch = 1, AppliedSeq = 3 };
        heldBack.Applied.AddRange([Entries.Put(1, "a", 1), Entries.Put(2, "b", 2), Entries.Put(3, "c", 3)]);
        heldBack.Logged.AddRange([Entries.Put(7, "g", 7), Entries.Put(5, "e", 5), Entries.Delete(6, "a")]);
        var gapFilled = new StorageBatch { Epoch = 1, AppliedSeq = 5 };
        gapFilled.Logged.Add(Entries.Put(4, "d", 4));
        gapFilled.Applied.AddRange([Entries.Put(4, "d", 4), heldBack.Logged[1]]);

        using (var storage = NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 0, NullLogger.Instance))
        {
            storage.Write(heldBack);
        }

        using (var storage = NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 0, NullLogger.Instance))
        {
            var loaded = storage.Load();
            loaded.State.AppliedSeq.Should().Be(3);
            StoredText.Of(loaded.Log).Should().Equal("1/5 Put e 5", "1/6 Delete a -", "1/7 Put g 7");
            storage.Write(gapFilled);
        }

        using var reopened = NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 0, NullLogger.Instance);
        var after = reopened.Load();
        StoredText.Of(after.State).Should().Equal("epoch 1 seq 5", "a=1@1", "b=2@2", "c=3@3", "d=4@4", "e=5@5");
        StoredText.Of(after.Log).Should().Equal("1/6 Delete a -", "1/7 Put g 7");
    }

    [Fact]
    public void Retention_keeps_at_least_the_last_N_applied_entries_and_drops_older_ones()
    {
        const long retained = 50;
        var dir = _temp.Sub("leader");
        using (var storage = NodeStorage.Open(dir, FsyncPolicy.No, retained, NullLogger.Instance))
        {
            for (var seq = 1; seq <= 3000; seq += 10)
            {
                storage.Write(Leader(1, [.. Enumerable.Range(seq, 10).Select(s => Entries.Put(s, $"k{s % 7}", s))]));
            }
        }

        using var reopened = NodeStorage.Open(dir, FsyncPolicy.No, retained, NullLogger.Instance);
        var seqs = reopened.Load().Log.Select(e => e.Seq).ToList();

        seqs.Should().HaveCountGreaterThanOrEqualTo((int)retained).And.HaveCountLessThanOrEqualTo((int)(retained + NodeStorage.TrimStep));
        seqs.Should().Equal(Enumerable.Range((int)(3001 - seqs.Count), seqs.Count).Select(s => (long)s), "the log is the contiguous tail ending at the applied seq");
        seqs[0].Should().BeGreaterThan(1, "entries older than the retention were dropped");
    }

    [Fact]
    public void A_follower_keeping_no_entries_stores_none_of_the_applied_ones()
    {
        var dir = _temp.Sub("follower");
        using (var storage = NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance))
        {
            for (var seq = 1; seq <= 300; seq += 3)
            {
                storage.Write(Leader(1, Entries.Put(seq, "a", seq), Entries.Put(seq + 1, "b", seq), Entries.Delete(seq + 2, "a")));
            }

            var early = new StorageBatch { Epoch = 1, AppliedSeq = 300 };
            early.Logged.Add(Entries.Put(302, "c", 302));
            storage.Write(early);
        }

        using var reopened = NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance);
        var loaded = reopened.Load();

        StoredText.Of(loaded.Log).Should().Equal("1/302 Put c 302");
        StoredText.Of(loaded.State).Should().Equal("epoch 1 seq 300", "b=298@299");
    }

    [Fact]
    public void Load_after_writes_reads_what_the_file_holds_now_not_what_open_found()
    {
        using var storage = NodeStorage.Open(_temp.Sub("node"), FsyncPolicy.No, retainedEntries: 10, NullLogger.Instance);
        storage.Write(Leader(4, Entries.Put(1, "a", 1, epoch: 4), Entries.Put(2, "b", 2, epoch: 4)));

        var loaded = storage.Load();

        StoredText.Of(loaded.State).Should().Equal("epoch 4 seq 2", "a=1@1", "b=2@2");
        StoredText.Of(loaded.Log).Should().Equal("4/1 Put a 1", "4/2 Put b 2");
    }

    [Fact]
    public void A_batch_that_fails_midway_leaves_nothing_of_itself()
    {
        var dir = _temp.Sub("node");
        using (var storage = NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 100, NullLogger.Instance))
        {
            storage.Write(Leader(1, Entries.Put(1, "a", 1)));
            var failing = Leader(1, Entries.Put(2, "b", 2), new LogEntry(1, 3, WriteOp.Put, "c", default(JsonElement)));
            storage.Invoking(s => s.Write(failing)).Should().Throw<InvalidOperationException>();
            storage.Write(Leader(1, Entries.Put(2, "d", 4)));
        }

        using var reopened = NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 100, NullLogger.Instance);
        var loaded = reopened.Load();

        StoredText.Of(loaded.State).Should().Equal("epoch 1 seq 2", "a=1@1", "d=4@2");
        StoredText.Of(loaded.Log).Should().Equal("1/1 Put a 1", "1/2 Put d 4");
    }

    [Fact]
    public void Two_hundred_thousand_keys_written_in_batches_of_a_thousand_reload_completely()
    {
        var dir = _temp.Sub("node");
        var writing = Stopwatch.StartNew();
        using (var storage = NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 1000, NullLogger.Instance))
        {
            Numbered(count: 200, size: 1000, padding: 20).ForEach(storage.Write);
        }

        output.WriteLine($"wrote 200 batches of 1000 in {writing.ElapsedMilliseconds} ms");
        var loading = Stopwatch.StartNew();
        using var reopened = NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 1000, NullLogger.Instance);
        var loaded = reopened.Load();
        output.WriteLine($"opened and loaded 200000 keys in {loading.ElapsedMilliseconds} ms");

        loaded.State.AppliedSeq.Should().Be(200_000);
        loaded.State.Items.Should().HaveCount(200_000);
        loaded.State.Items.Keys.Should().BeInAscendingOrder(StringComparer.Ordinal);
        loaded.State.Items["k000001"].Seq.Should().Be(1);
        loaded.State.Items["k199999"].Value.GetProperty("n").GetInt32().Should().Be(199_999);
        loaded.Log[^1].Seq.Should().Be(200_000);
    }

    // Puts of JSON of every kind, with the client's spacing, deletes of present and absent keys.
    private static List<StorageBatch> MixedBatches() =>
    [
        Leader(2, Raw(1, "a", "{ \"x\" : [1, 2] }", epoch: 2), Raw(2, "b", "\"text\"", epoch: 2), Raw(3, "c", "3.50", epoch: 2)),
        Leader(2, Entries.Delete(4, "b", epoch: 2), Raw(5, "a", "\"again\"", epoch: 2), Raw(6, "ключ", "true", epoch: 2)),
        Leader(2, Entries.Delete(7, "c", epoch: 2), Raw(8, "e", "{\"nested\":{\"k\":null}}", epoch: 2), Entries.Delete(9, "absent", epoch: 2)),
    ];

    private static JsonElement Json(string json) => JsonElement.Parse(json);
}
