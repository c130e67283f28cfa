using KvActors.Replication.Follower;
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
    public async Task Follower_starts_over_when_it_sees_a_new_leader_epoch()
    {
        await using var follower = Entries.StartedFollower();
        await Entries.SendAndWait(follower, Entries.Put(1, "old", 1, epoch: 1));
        await Entries.SendAndWait(follower, Entries.Put(3, "held", 3, epoch: 1));

        await Entries.SendAndWait(follower, Entries.Put(1, "new", 1, epoch: 2));

        follower.Current.Epoch.Should().Be(2);
        follower.Current.AppliedSeq.Should().Be(1);
        follower.Current.Items.Keys.Should().Equal("new");
        follower.HeldBackCount.Should().Be(0, "entries held back from the old epoch must not be applied in the new one");
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
