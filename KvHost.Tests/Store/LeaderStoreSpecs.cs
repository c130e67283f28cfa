using Akka.Actor;
using KvActors.Replication.Leader;
using KvActors.Store;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Store;

public sealed class LeaderStoreSpecs : ActorSpec
{
    [Fact]
    public void Leader_store_gives_writes_consecutive_seqs_and_logs_them()
    {
        var log = new ReplicationLog(capacity: 10);
        var (store, view) = StartedLeader(log, epoch: 7);
        var coordinator = CreateTestProbe();

        store.Tell(new StoreMessages.Append(Entries.PutCommand("a", 1), 100), coordinator);
        store.Tell(new StoreMessages.Append(Entries.PutCommand("b", 2), 101), coordinator);
        store.Tell(new StoreMessages.Append(new WriteCommand(WriteOp.Delete, "a", null), 102), coordinator);

        coordinator.ExpectMsg<StoreMessages.Appended>().Should().Match<StoreMessages.Appended>(a => a.Entry.Seq == 1 && a.Entry.Epoch == 7 && a.CorrelationId == 100);
        coordinator.ExpectMsg<StoreMessages.Appended>().Entry.Seq.Should().Be(2);
        coordinator.ExpectMsg<StoreMessages.Appended>().Entry.Should().Match<LogEntry>(e => e.Seq == 3 && e.Op == WriteOp.Delete);
        view.Current.AppliedSeq.Should().Be(3);
        view.Current.Items.Keys.Should().Equal("b");
        log.TryGetEntriesAfter(0, 100, out var entries).Should().BeTrue();
        entries.Select(e => e.Seq).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Leader_store_rejects_a_delete_of_a_missing_key_without_using_a_seq()
    {
        var (store, view) = StartedLeader(new ReplicationLog(10));
        var coordinator = CreateTestProbe();

        store.Tell(new StoreMessages.Append(new WriteCommand(WriteOp.Delete, "ghost", null), 1), coordinator);

        coordinator.ExpectMsg<StoreMessages.AppendRejected>().KeyNotFound.Should().BeTrue();
        view.Current.AppliedSeq.Should().Be(0);
    }

    [Fact]
    public void Leader_store_refuses_appends_until_it_has_become_leader()
    {
        var view = new StoreView();
        var store = Sys.ActorOf(StoreActor.ForLeader(view, new ReplicationLog(10)));
        var coordinator = CreateTestProbe();

        store.Tell(new StoreMessages.Append(Entries.PutCommand("a", 1), 5), coordinator);

        coordinator.ExpectMsg<StoreMessages.AppendFailed>().CorrelationId.Should().Be(5);
        view.Current.AppliedSeq.Should().Be(0);
    }

    [Fact]
    public void Leader_store_keeps_its_data_when_a_message_fails_and_answers_that_message_with_a_failure()
    {
        var (store, view) = StartedLeader(new ReplicationLog(10));
        var coordinator = CreateTestProbe();
        store.Tell(new StoreMessages.Append(Entries.PutCommand("a", 1), 1), coordinator);
        coordinator.ExpectMsg<StoreMessages.Appended>();

        // A second BecomeLeader is a bug in the caller: the store throws, and must not restart empty.
        store.Tell(new StoreMessages.BecomeLeader(StoreSnapshot.Empty(9)), coordinator);
        coordinator.ExpectMsg<Status.Failure>();
        store.Tell(new StoreMessages.Append(Entries.PutCommand("b", 2), 2), coordinator);

        coordinator.ExpectMsg<StoreMessages.Appended>().Entry.Seq.Should().Be(2, "the store resumed with its data");
        view.Current.Items.Keys.Should().Equal("a", "b");
    }

    [Fact]
    public void Leader_restarted_from_its_own_disk_serves_followers_of_its_old_epoch_entries_with_its_word_that_it_continues_it()
    {
        var log = new ReplicationLog(capacity: 10);
        var view = new StoreView();
        var store = Sys.ActorOf(StoreActor.ForLeader(view, log));
        var old = StoreSnapshot.Empty(3).Apply(Entries.Put(1, "a", 1, epoch: 3)).Apply(Entries.Put(2, "b", 2, epoch: 3));
        store.Tell(new StoreMessages.BecomeLeader(old with { Epoch = 4 }, new StoreMessages.OwnHistory(3, [Entries.Put(1, "a", 1, epoch: 3), Entries.Put(2, "b", 2, epoch: 3)])), TestActor);
        ExpectMsg<StoreSnapshot>();
        store.Tell(new StoreMessages.Append(Entries.PutCommand("c", 3), 1), TestActor);
        ExpectMsg<StoreMessages.Appended>().Entry.Should().Match<LogEntry>(e => e.Seq == 3 && e.Epoch == 4);

        store.Tell(new StoreMessages.ReadLog(Epoch: 3, After: 1, Limit: 10), TestActor);
        var read = ExpectMsg<StoreMessages.LogRead>();
        store.Tell(new StoreMessages.ReadLog(Epoch: 2, After: 1, Limit: 10), TestActor);
        var older = ExpectMsg<StoreMessages.LogRead>();

        read.FullResyncRequired.Should().BeFalse("a follower of epoch 3 at seq 1 holds a prefix of this leader's log");
        read.Entries.Select(e => (e.Epoch, e.Seq)).Should().Equal((3L, 2L), (4L, 3L));
        read.Continues.Should().Be(new StoreMessages.ContinuedEpoch(3, 2));
        older.FullResyncRequired.Should().BeTrue("epoch 2 is not the one this epoch continues");
    }

    private (IActorRef Store, StoreView View) StartedLeader(ReplicationLog log, long epoch = 1)
    {
        var view = new StoreView();
        var store = Sys.ActorOf(StoreActor.ForLeader(view, log));
        store.Tell(new StoreMessages.BecomeLeader(StoreSnapshot.Empty(epoch)), TestActor);
        ExpectMsg<StoreSnapshot>();
        return (store, view);
    }
}
