using KvActors.Replication;
using KvActors.Replication.Follower;
using KvActors.Replication.Wire;
using KvActors.Storage;
using KvActors.Store;
using KvHost.Tests.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvHost.Tests.Store;

/// <summary>The follower's store actor: its replies go to each entry's sender, its state to the view.</summary>
public sealed class FollowerStoreSpecs : ActorSpec
{
    private static readonly FollowerIdentity Identity = new("follower1", new Uri("http://follower1:8080"));

    [Fact]
    public void Follower_store_in_applied_mode_acknowledges_each_sender_once_its_entry_is_applied()
    {
        var (store, view) = StartedFollower(AckMode.Applied);
        var second = CreateTestProbe();
        var first = CreateTestProbe();

        store.Tell(new ReplicationMessages.Replicate(Entries.Put(2, "b", 2)), second);
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        view.HeldBackCount.Should().Be(1);
        store.Tell(new ReplicationMessages.Replicate(Entries.Put(1, "a", 1)), first);

        first.ExpectMsg<ReplicationMessages.Replicated>().Should().Be(new ReplicationMessages.Replicated("follower1", 1, 2));
        second.ExpectMsg<ReplicationMessages.Replicated>().Should().Be(new ReplicationMessages.Replicated("follower1", 2, 2));
        view.Current.Items.Keys.Should().Equal("a", "b");
        view.HeldBackCount.Should().Be(0);
    }

    [Fact]
    public void Follower_store_answers_a_refused_entry_with_its_seq_and_why()
    {
        var (store, view) = StartedFollower(AckMode.Received, epoch: 5);

        store.Tell(new ReplicationMessages.Replicate(Entries.Put(1, "k", "old", epoch: 4)), TestActor);

        var failed = ExpectMsg<ReplicationMessages.ReplicationFailed>();
        failed.Should().Match<ReplicationMessages.ReplicationFailed>(f => f.Follower == "follower1" && f.Seq == 1 && f.Error.Contains("stale epoch"));
        view.Current.AppliedSeq.Should().Be(0);
    }

    [Fact]
    public void Follower_store_publishes_a_pending_epoch_for_the_catch_up_and_answers_its_position_with_its_url()
    {
        var (store, view) = StartedFollower(AckMode.Received);
        store.Tell(new ReplicationMessages.Replicate(Entries.Put(3, "c", 3)), TestActor);
        ExpectMsg<ReplicationMessages.Replicated>();

        // Pending until epoch 2's snapshot is installed: its position could not report it, so no acknowledgement yet.
        store.Tell(new ReplicationMessages.Replicate(Entries.Put(1, "x", 1, epoch: 2)), TestActor);
        store.Tell(ReplicationMessages.ReadPosition.Instance, TestActor);

        var position = ExpectMsg<PositionDocument>();
        view.PendingEpoch.Should().Be(2);
        position.Should().Match<PositionDocument>(p => p.Node == "follower1" && p.Epoch == 1 && p.AppliedSeq == 0 && p.Url == Identity.Url);
        position.HeldBack.Select(e => e.Seq).Should().Equal(3);
    }

    [Fact]
    public void A_durable_follower_store_acknowledges_as_itself_once_the_entries_are_on_disk()
    {
        // The acknowledgement leaves from the thread that wrote the batch, not from the actor; the
        // leader attributes it to a follower by its sender, so the sender must still be the store.
        using var temp = new TempDirectory();
        var dir = temp.Sub("follower1");
        var storage = NodeStorage.Open(dir, FsyncPolicy.Always, retainedEntries: 0, NullLogger.Instance);
        var view = new StoreView();
        var store = Sys.ActorOf(StoreActor.ForFollower(view, Identity, AckMode.Received, NullLogger.Instance, new StoredNodeOnDisk(storage, storage.Load())));
        store.Tell(new StoreMessages.InstallSnapshot(StoreSnapshot.Empty(1)), TestActor);
        ExpectMsg(true);

        for (var seq = 1; seq <= 20; seq++)
        {
            store.Tell(new ReplicationMessages.Replicate(Entries.Put(seq, $"k{seq}", seq)), TestActor);
        }

        for (var seq = 1; seq <= 20; seq++)
        {
            ExpectMsg<ReplicationMessages.Replicated>().Seq.Should().Be(seq, "acknowledgements keep the entries' order");
            LastSender.Should().Be(store);
        }

        Sys.Stop(store);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        storage.Dispose();
        using var reopened = NodeStorage.Open(dir, FsyncPolicy.Always, retainedEntries: 0, NullLogger.Instance);
        reopened.Load().State.Items.Should().HaveCount(20, "every acknowledged entry was on disk first");
    }

    private (Akka.Actor.IActorRef Store, StoreView View) StartedFollower(AckMode mode, long epoch = 1)
    {
        var view = new StoreView();
        var store = Sys.ActorOf(StoreActor.ForFollower(view, Identity, mode, NullLogger.Instance));
        store.Tell(new StoreMessages.InstallSnapshot(StoreSnapshot.Empty(epoch)), TestActor);
        ExpectMsg(true);
        return (store, view);
    }
}
