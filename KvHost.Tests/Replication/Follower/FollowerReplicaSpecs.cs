using KvActors.Replication.Follower;
using KvActors.Store;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.Follower;

/// <summary>The follower's rules, driven directly: no actor, no clock, every reply returned.</summary>
public sealed class FollowerReplicaSpecs
{
    [Fact]
    public void Follower_applies_entries_in_seq_order_when_they_arrive_reversed()
    {
        var follower = Replicas.Started();

        var ack3 = follower.Replicate(Entries.Put(3, "k", "third"), "leader");
        var ack2 = follower.Replicate(Entries.Put(2, "k", "second"), "leader");
        follower.State.AppliedSeq.Should().Be(0, "entries 2 and 3 wait for entry 1");
        follower.WaitingCount.Should().Be(2);

        follower.Replicate(Entries.Put(1, "k", "first"), "leader");

        ack3.Should().Equal([("leader", new ReplicateOutcome.Acknowledged(3, 0))], "received mode acknowledges on receipt");
        ack2.Should().Equal([("leader", new ReplicateOutcome.Acknowledged(2, 0))]);
        follower.State.AppliedSeq.Should().Be(3);
        follower.State.Items["k"].Seq.Should().Be(3);
        follower.State.Items["k"].Value.GetString().Should().Be("third", "the last write in seq order wins, not the last to arrive");
        follower.WaitingCount.Should().Be(0);
    }

    [Fact]
    public void Follower_in_applied_mode_acknowledges_only_once_every_earlier_entry_is_applied()
    {
        var follower = Replicas.Started(AckMode.Applied);

        var early = follower.Replicate(Entries.Put(2, "b", 2), "second");
        early.Should().BeEmpty("entry 1 has not arrived, so entry 2 is not applied");

        var replies = follower.Replicate(Entries.Put(1, "a", 1), "first");

        replies.Should().BeEquivalentTo(
            [("first", (ReplicateOutcome)new ReplicateOutcome.Acknowledged(1, 2)), ("second", new ReplicateOutcome.Acknowledged(2, 2))]);
    }

    [Fact]
    public void Follower_acknowledges_a_duplicate_again_without_applying_it_twice()
    {
        var follower = Replicas.Started();
        follower.Replicate(Entries.Put(1, "k", "original"), "leader");
        follower.Replicate(Entries.Delete(2, "k"), "leader");

        var again = follower.Replicate(Entries.Put(1, "k", "original"), "leader");

        again.Should().Equal([("leader", new ReplicateOutcome.Acknowledged(1, 2))]);
        follower.State.AppliedSeq.Should().Be(2);
        follower.State.Items.Should().BeEmpty("re-applying seq 1 after the delete would resurrect the key");
    }

    [Fact]
    public void Follower_refuses_an_entry_of_an_older_epoch_and_changes_nothing()
    {
        var follower = Replicas.Started(epoch: 5);
        follower.Replicate(Entries.Put(1, "k", "new leader", epoch: 5), "leader");
        var before = follower.State;

        var outcome = follower.Replicate(Entries.Put(2, "k", "old leader", epoch: 4), "old leader");

        outcome.Should().Equal([("old leader", new ReplicateOutcome.StaleEpoch(2, 5))]);
        follower.State.Should().BeSameAs(before);
    }

    [Fact]
    public void Follower_holds_entries_of_a_new_epoch_until_a_snapshot_of_that_epoch_is_installed()
    {
        var follower = Replicas.Started();
        follower.Replicate(Entries.Put(1, "old", 1, epoch: 1), "leader");
        follower.Replicate(Entries.Put(3, "held", 3, epoch: 1), "leader");

        var ack = follower.Replicate(Entries.Put(6, "new", 6, epoch: 2), "new leader");

        ack.Should().BeEmpty("even received mode does not acknowledge a pending entry: the follower's position, which a recovering leader reads, cannot report it");
        follower.PendingEpoch.Should().Be(2, "the catch-up must fetch a snapshot of epoch 2 now");
        follower.State.Items.Keys.Should().Equal("old");
        follower.Position.HeldBack.Select(e => e.Seq).Should().Equal([3], "a recovering leader reads the position, which holds only epoch 1's entries");

        var recovered = StoreSnapshot.Empty(2).Apply(Entries.Put(1, "old", 1, epoch: 2)).Apply(Entries.Put(2, "x", 2, epoch: 2))
            with { AppliedSeq = 5 };
        follower.Install(recovered, out var due).Should().BeTrue();

        due.Should().Equal([("new leader", new ReplicateOutcome.Acknowledged(6, 6))], "the entry is applied on top of its epoch's snapshot, and only now acknowledged");

        follower.State.Epoch.Should().Be(2);
        follower.State.AppliedSeq.Should().Be(6, "the held entry of epoch 2 follows the snapshot at seq 5");
        follower.State.Items.Keys.Should().Equal("new", "old", "x");
        follower.PendingEpoch.Should().Be(0);
        follower.WaitingCount.Should().Be(0, "the entry held back from epoch 1 is not part of epoch 2's history");
    }

    [Fact]
    public void Follower_never_goes_backwards_within_an_epoch_when_an_older_snapshot_arrives()
    {
        var follower = Replicas.Started();
        follower.Replicate(Entries.Put(1, "a", 1), "leader");
        follower.Replicate(Entries.Put(2, "b", 2), "leader");
        var before = follower.State;

        follower.Install(StoreSnapshot.Empty(1) with { AppliedSeq = 1 }, out _).Should().BeFalse();
        follower.Install(StoreSnapshot.Empty(0), out _).Should().BeFalse();

        follower.State.Should().BeSameAs(before);
    }

    [Fact]
    public void Follower_fills_a_gap_with_caught_up_entries_and_drops_entries_of_an_epoch_its_leader_never_had()
    {
        var follower = Replicas.Started();
        follower.Replicate(Entries.Put(3, "c", 3), "leader");
        follower.Replicate(Entries.Put(9, "forged", 9, epoch: 99), "forger");

        follower.CatchUp(1, [Entries.Put(1, "a", 1), Entries.Put(2, "b", 2)]);

        follower.State.AppliedSeq.Should().Be(3);
        follower.State.Items.Keys.Should().Equal("a", "b", "c");
        follower.PendingEpoch.Should().Be(0, "the leader is at epoch 1, so epoch 99 is not its own");
        follower.WaitingCount.Should().Be(0);
    }

    [Fact]
    public void Follower_in_applied_mode_tells_a_waiter_its_epoch_ended_when_a_newer_snapshot_replaces_it()
    {
        var follower = Replicas.Started(AckMode.Applied);
        follower.Replicate(Entries.Put(2, "b", 2), "waiter").Should().BeEmpty();

        follower.Install(StoreSnapshot.Empty(2), out var due).Should().BeTrue();

        due.Should().Equal([("waiter", new ReplicateOutcome.StaleEpoch(2, 2))]);
    }

    [Fact]
    public void Follower_refuses_an_entry_too_far_ahead_and_holds_nothing()
    {
        var follower = Replicas.Started();

        var outcome = follower.Replicate(Entries.Put(FollowerReplica<string>.MaxHoldBack + 1, "k", 1), "leader");

        outcome.Should().Equal([("leader", new ReplicateOutcome.TooFarAhead(FollowerReplica<string>.MaxHoldBack + 1, 0, FollowerReplica<string>.MaxHoldBack))]);
        follower.WaitingCount.Should().Be(0);
    }
}
