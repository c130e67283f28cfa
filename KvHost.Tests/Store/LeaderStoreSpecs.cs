using KvActors.Replication.Leader;
using KvActors.Store;
using KvHost.Tests.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using System.Text.Json;

namespace KvHost.Tests.Store;

public sealed class LeaderStoreSpecs
{
    [Fact]
    public async Task Leader_store_gives_writes_consecutive_seqs_and_logs_them()
    {
        var log = new ReplicationLog(capacity: 10);
        await using var store = Entries.StartedLeader(log, epoch: 7);
        var replies = new TestProbe<StoreMessages.IAppendReply>("coordinator");

        store.Tell(new StoreMessages.Append(new WriteCommand(WriteOp.Put, "a", JsonSerializer.SerializeToElement(1)), 100, replies));
        store.Tell(new StoreMessages.Append(new WriteCommand(WriteOp.Put, "b", JsonSerializer.SerializeToElement(2)), 101, replies));
        store.Tell(new StoreMessages.Append(new WriteCommand(WriteOp.Delete, "a", null), 102, replies));

        (await replies.ExpectMsgAsync<StoreMessages.Appended>()).Entry.Should().Match<LogEntry>(e => e.Seq == 1 && e.Epoch == 7);
        (await replies.ExpectMsgAsync<StoreMessages.Appended>()).Entry.Seq.Should().Be(2);
        (await replies.ExpectMsgAsync<StoreMessages.Appended>()).Entry.Should().Match<LogEntry>(e => e.Seq == 3 && e.Op == WriteOp.Delete);
        store.Current.AppliedSeq.Should().Be(3);
        store.Current.Items.Keys.Should().Equal("b");
        log.TryGetEntriesAfter(0, 100, out var entries).Should().BeTrue();
        entries.Select(e => e.Seq).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Leader_store_rejects_a_delete_of_a_missing_key_without_using_a_seq()
    {
        await using var store = Entries.StartedLeader(new ReplicationLog(10));
        var replies = new TestProbe<StoreMessages.IAppendReply>("coordinator");

        store.Tell(new StoreMessages.Append(new WriteCommand(WriteOp.Delete, "ghost", null), 1, replies));

        (await replies.ExpectMsgAsync<StoreMessages.AppendRejected>()).KeyNotFound.Should().BeTrue();
        store.Current.AppliedSeq.Should().Be(0);
    }
}
