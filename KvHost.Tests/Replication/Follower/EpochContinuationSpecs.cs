using KvActors.Replication.Follower;
using KvActors.Store;
using KvHost.Tests.TestKit;
using static KvActors.Store.StoreMessages;

namespace KvHost.Tests.Replication.Follower;

/// <summary>
/// A leader restarted from its own disk continues its log in a new epoch; a follower of the old
/// epoch that holds a prefix of that log moves into the new epoch with entries alone, no snapshot.
/// </summary>
public sealed class EpochContinuationSpecs
{
    [Fact]
    public void A_follower_at_the_continued_seq_moves_into_the_new_epoch_and_applies_its_pending_entries()
    {
        var follower = Replicas.Started(AckMode.Applied, epoch: 1);
        follower.Replicate(Entries.Put(1, "a", 1), "leader");
        var pending = follower.Replicate(Entries.Put(2, "b", 2, epoch: 2), "restarted leader");
        pending.Should().BeEmpty("an entry of a newer epoch waits until the follower knows its history is the leader's");
        follower.PendingEpoch.Should().Be(2);

        var due = follower.CatchUp(2, [], new ContinuedEpoch(PreviousEpoch: 1, LastSeq: 1));

        follower.State.Epoch.Should().Be(2);
        follower.State.AppliedSeq.Should().Be(2);
        follower.PendingEpoch.Should().Be(0);
        due.Should().Equal([("restarted leader", (ReplicateOutcome)new ReplicateOutcome.Acknowledged(2, 2))]);
    }

    [Fact]
    public void A_follower_behind_the_continued_seq_applies_the_old_epochs_entries_first_then_continues()
    {
        var follower = Replicas.Started(epoch: 1);
        follower.Replicate(Entries.Put(1, "a", 1), "leader");

        follower.CatchUp(2, [Entries.Put(2, "a", 2), Entries.Put(3, "b", 3), Entries.Put(4, "c", 4, epoch: 2)], new ContinuedEpoch(1, 3));

        follower.State.Epoch.Should().Be(2);
        follower.State.AppliedSeq.Should().Be(4);
        follower.State.Items.Keys.Should().Equal("a", "b", "c");
    }

    [Fact]
    public void The_old_epochs_entries_the_leader_vouches_for_apply_although_its_new_epoch_is_already_pending()
    {
        // The restarted leader's first pushes arrive before the catch-up, with a gap at seq 2 of the old epoch.
        var follower = Replicas.Started(epoch: 1);
        follower.Replicate(Entries.Put(1, "a", 1), "leader");
        follower.Replicate(Entries.Put(3, "c", 3), "leader");
        follower.Replicate(Entries.Put(4, "d", 4, epoch: 2), "restarted leader");

        follower.CatchUp(2, [Entries.Put(2, "b", 2), Entries.Put(3, "c", 3), Entries.Put(4, "d", 4, epoch: 2)], new ContinuedEpoch(1, 3));

        follower.State.Epoch.Should().Be(2);
        follower.State.AppliedSeq.Should().Be(4);
        follower.State.Items.Keys.Should().Equal("a", "b", "c", "d");
    }

    [Fact]
    public void Without_the_leaders_word_a_newer_epoch_still_waits_for_a_snapshot()
    {
        var follower = Replicas.Started(epoch: 1);
        follower.Replicate(Entries.Put(1, "a", 1), "leader");

        follower.CatchUp(2, [Entries.Put(2, "b", 2, epoch: 2)]);

        follower.State.Epoch.Should().Be(1);
        follower.State.AppliedSeq.Should().Be(1);
        follower.PendingEpoch.Should().Be(2);
    }

    [Fact]
    public void A_follower_past_the_continued_seq_does_not_continue_and_drops_nothing_it_applied()
    {
        // It applied seq 2 of epoch 1, which the restarted leader never had: only a snapshot can fix it.
        var follower = Replicas.Started(epoch: 1);
        follower.Replicate(Entries.Put(1, "a", 1), "leader");
        follower.Replicate(Entries.Put(2, "lost", 2), "leader");

        follower.CatchUp(2, [Entries.Put(2, "b", 2, epoch: 2)], new ContinuedEpoch(1, 1));

        follower.State.Epoch.Should().Be(1);
        follower.State.AppliedSeq.Should().Be(2);
    }

    [Fact]
    public void Entries_held_back_past_the_continued_seq_are_dropped_as_another_history()
    {
        var follower = Replicas.Started(epoch: 1);
        follower.Replicate(Entries.Put(1, "a", 1), "leader");
        follower.Replicate(Entries.Put(3, "old-history", 3), "leader");

        follower.CatchUp(2, [Entries.Put(2, "b", 2, epoch: 2), Entries.Put(3, "c", 3, epoch: 2)], new ContinuedEpoch(1, 1));

        follower.State.Epoch.Should().Be(2);
        follower.State.AppliedSeq.Should().Be(3);
        follower.State.Items["c"].Seq.Should().Be(3);
        follower.State.Items.Should().NotContainKey("old-history");
    }
}
