using KvActors.Replication.Follower;
using KvActors.Runtime;
using KvActors.Store;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Store;

public sealed class FollowerStoreSpecs
{
    [Fact]
    public async Task Follower_applies_entries_in_seq_order_when_they_arrive_reversed()
    {
        await using var follower = Entries.StartedFollower();

        var ack3 = await Entries.SendAndWait(follower, Entries.Put(3, "k", "third"));
        var ack2 = await Entries.SendAndWait(follower, Entries.Put(2, "k", "second"));
        follower.Current.AppliedSeq.Should().Be(0, "entries 2 and 3 wait for entry 1");
        follower.HeldBackCount.Should().Be(2);

        await Entries.SendAndWait(follower, Entries.Put(1, "k", "first"));

        ack3.Should().Be(new ReplicateOutcome.Acknowledged(3, 0), "received mode acknowledges on receipt");
        ack2.Should().Be(new ReplicateOutcome.Acknowledged(2, 0));
        follower.Current.AppliedSeq.Should().Be(3);
        follower.Current.Items["k"].Seq.Should().Be(3);
        follower.Current.Items["k"].Value.GetString().Should().Be("third", "the last write in seq order wins, not the last to arrive");
        follower.HeldBackCount.Should().Be(0);
    }

    [Fact]
    public async Task Follower_in_applied_mode_acknowledges_only_once_every_earlier_entry_is_applied()
    {
        await using var follower = Entries.StartedFollower(AckMode.Applied);

        var ack2 = Entries.Send(follower, Entries.Put(2, "b", 2));
        await Task.Delay(50);
        ack2.IsCompleted.Should().BeFalse("entry 1 has not arrived, so entry 2 is not applied");

        var ack1 = await Entries.SendAndWait(follower, Entries.Put(1, "a", 1));

        ack1.Should().Be(new ReplicateOutcome.Acknowledged(1, 2));
        (await ack2.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(new ReplicateOutcome.Acknowledged(2, 2));
    }

    [Fact]
    public async Task Follower_acknowledges_a_duplicate_again_without_applying_it_twice()
    {
        await using var follower = Entries.StartedFollower();
        await Entries.SendAndWait(follower, Entries.Put(1, "k", "original"));
        await Entries.SendAndWait(follower, Entries.Delete(2, "k"));

        var again = await Entries.SendAndWait(follower, Entries.Put(1, "k", "original"));

        again.Should().Be(new ReplicateOutcome.Acknowledged(1, 2));
        follower.Current.AppliedSeq.Should().Be(2);
        follower.Current.Items.Should().BeEmpty("re-applying seq 1 after the delete would resurrect the key");
    }

    [Fact]
    public async Task Follower_refuses_an_entry_of_an_older_epoch_and_changes_nothing()
    {
        await using var follower = Entries.StartedFollower();
        await Entries.SendAndWait(follower, Entries.Put(1, "k", "new leader", epoch: 5));
        var before = follower.Current;

        var outcome = await Entries.SendAndWait(follower, Entries.Put(2, "k", "old leader", epoch: 4));

        outcome.Should().Be(new ReplicateOutcome.StaleEpoch(5));
        follower.Current.Should().BeSameAs(before);
    }

    [Fact]
    public async Task Follower_holds_entries_of_a_new_epoch_until_a_snapshot_of_that_epoch_is_installed()
    {
        await using var follower = Entries.StartedFollower();
        await Entries.SendAndWait(follower, Entries.Put(1, "old", 1, epoch: 1));
        await Entries.SendAndWait(follower, Entries.Put(3, "held", 3, epoch: 1));

        var ack = await Entries.SendAndWait(follower, Entries.Put(6, "new", 6, epoch: 2));

        ack.Should().Be(new ReplicateOutcome.Acknowledged(6, 0), "received mode acknowledges an entry it holds");
        follower.PendingEpoch.Should().Be(2, "the catch-up loop must fetch a snapshot of epoch 2 now");
        follower.Current.Items.Keys.Should().Equal("old");

        var recovered = StoreSnapshot.Empty(2).Apply(Entries.Put(1, "old", 1, epoch: 2)).Apply(Entries.Put(2, "x", 2, epoch: 2))
            with { AppliedSeq = 5 };
        (await Entries.Install(follower, recovered)).Should().BeTrue();

        follower.Current.Epoch.Should().Be(2);
        follower.Current.AppliedSeq.Should().Be(6, "the held entry of epoch 2 follows the snapshot at seq 5");
        follower.Current.Items.Keys.Should().Equal("new", "old", "x");
        follower.PendingEpoch.Should().Be(0);
        follower.HeldBackCount.Should().Be(0, "the entry held back from epoch 1 is not part of epoch 2's history");
    }

    [Fact]
    public async Task Follower_never_goes_backwards_within_an_epoch_when_an_older_snapshot_arrives()
    {
        await using var follower = Entries.StartedFollower();
        await Entries.SendAndWait(follower, Entries.Put(1, "a", 1));
        await Entries.SendAndWait(follower, Entries.Put(2, "b", 2));
        var before = follower.Current;

        (await Entries.Install(follower, StoreSnapshot.Empty(1) with { AppliedSeq = 1 })).Should().BeFalse();
        (await Entries.Install(follower, StoreSnapshot.Empty(0))).Should().BeFalse();

        follower.Current.Should().BeSameAs(before);
    }

    [Fact]
    public async Task Follower_fills_a_gap_with_caught_up_entries_and_drops_entries_of_an_epoch_its_leader_never_had()
    {
        await using var follower = Entries.StartedFollower();
        await Entries.SendAndWait(follower, Entries.Put(3, "c", 3));
        await Entries.SendAndWait(follower, Entries.Put(9, "forged", 9, epoch: 99));
        var applied = Ask.NewReply<long>();

        follower.Tell(new StoreMessages.ApplyCaughtUp(1, [Entries.Put(1, "a", 1), Entries.Put(2, "b", 2)], applied));

        (await applied.Task.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(3);
        follower.Current.Items.Keys.Should().Equal("a", "b", "c");
        follower.PendingEpoch.Should().Be(0, "the leader is at epoch 1, so epoch 99 is not its own");
        follower.HeldBackCount.Should().Be(0);
    }

    [Fact]
    public async Task Follower_refuses_an_entry_too_far_ahead_and_holds_nothing()
    {
        await using var follower = Entries.StartedFollower();

        var outcome = await Entries.SendAndWait(follower, Entries.Put(StoreActor.MaxHoldBack + 1, "k", 1));

        outcome.Should().Be(new ReplicateOutcome.TooFarAhead(0, StoreActor.MaxHoldBack));
        follower.HeldBackCount.Should().Be(0);
    }
}
