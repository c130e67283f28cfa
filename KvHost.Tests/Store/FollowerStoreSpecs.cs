using KvActors.Replication.Follower;
using KvActors.Store;
using KvHost.Tests.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvHost.Tests.Store;

/// <summary>The follower's store actor: its replies go to each entry's sender, its state to the view.</summary>
public sealed class FollowerStoreSpecs : ActorSpec
{
    [Fact]
    public void Follower_store_in_applied_mode_acknowledges_each_sender_once_its_entry_is_applied()
    {
        var view = new StoreView();
        var store = Sys.ActorOf(StoreActor.ForFollower(view, AckMode.Applied, NullLogger.Instance));
        store.Tell(new StoreMessages.InstallSnapshot(StoreSnapshot.Empty(1)), TestActor);
        ExpectMsg(true);
        var second = CreateTestProbe();
        var first = CreateTestProbe();

        store.Tell(new StoreMessages.ApplyReplicated(Entries.Put(2, "b", 2)), second);
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        view.HeldBackCount.Should().Be(1);
        store.Tell(new StoreMessages.ApplyReplicated(Entries.Put(1, "a", 1)), first);

        first.ExpectMsg<ReplicateOutcome>().Should().Be(new ReplicateOutcome.Acknowledged(1, 2));
        second.ExpectMsg<ReplicateOutcome>().Should().Be(new ReplicateOutcome.Acknowledged(2, 2));
        view.Current.Items.Keys.Should().Equal("a", "b");
        view.HeldBackCount.Should().Be(0);
    }

    [Fact]
    public void Follower_store_publishes_a_pending_epoch_for_the_catch_up_and_answers_its_position()
    {
        var view = new StoreView();
        var store = Sys.ActorOf(StoreActor.ForFollower(view, AckMode.Received, NullLogger.Instance));
        store.Tell(new StoreMessages.InstallSnapshot(StoreSnapshot.Empty(1)), TestActor);
        ExpectMsg(true);
        store.Tell(new StoreMessages.ApplyReplicated(Entries.Put(3, "c", 3)), TestActor);
        ExpectMsg<ReplicateOutcome>();

        store.Tell(new StoreMessages.ApplyReplicated(Entries.Put(1, "x", 1, epoch: 2)), TestActor);
        ExpectMsg<ReplicateOutcome>().Should().Be(new ReplicateOutcome.Acknowledged(1, 0));
        store.Tell(new StoreMessages.ReadPosition(), TestActor);

        view.PendingEpoch.Should().Be(2);
        var position = ExpectMsg<StoreMessages.Position>();
        position.Should().Match<StoreMessages.Position>(p => p.Epoch == 1 && p.AppliedSeq == 0);
        position.HeldBack.Select(e => e.Seq).Should().Equal(3);
    }
}
