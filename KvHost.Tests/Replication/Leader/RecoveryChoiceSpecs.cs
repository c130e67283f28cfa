using KvActors.Replication.CatchUp;
using KvActors.Replication.Leader;
using KvActors.Replication.Wire;
using KvActors.Store;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.Leader;

/// <summary>Recovery's choice, driven directly: positions in, the state to start from out; no actor, no HTTP.</summary>
public sealed class RecoveryChoiceSpecs
{
    private static readonly DateTimeOffset ClockBehind = DateTimeOffset.FromUnixTimeMilliseconds(0);

    [Theory]
    [InlineData(5, 1, 5)]
    [InlineData(5, 3, 3)]
    [InlineData(5, 5, 1)]
    [InlineData(5, 0, 5)]
    [InlineData(3, 2, 2)]
    public void RecoveryChoice_needs_N_minus_W_plus_1_answers_and_never_more_than_N(int followers, int writeQuorum, int required)
    {
        RecoveryChoice.RequiredAnswers(followers, writeQuorum).Should().Be(required);
    }

    [Fact]
    public void RecoveryChoice_makes_no_choice_before_enough_followers_answered()
    {
        var answers = new[] { Position("f1", epoch: 7, applied: 3) };

        var choice = RecoveryChoice.Choose(answers, requiredAnswers: 2, ClockBehind);

        choice.Should().BeNull("one answer may miss every follower that acknowledged a write");
    }

    [Fact]
    public void RecoveryChoice_takes_the_highest_epoch_before_the_highest_seq()
    {
        var answers = new[] { Position("behind", epoch: 6, applied: 40), Position("current", epoch: 7, applied: 3) };

        var choice = RecoveryChoice.Choose(answers, requiredAnswers: 2, ClockBehind)!;

        choice.Source.Node.Should().Be("current", "seq 40 of epoch 6 belongs to a history the epoch-7 leader abandoned");
        choice.SourceIndex.Should().Be(1);
        choice.NewEpoch.Should().Be(8);
    }

    [Fact]
    public void RecoveryChoice_on_a_tie_takes_the_first_answer()
    {
        var answers = new[] { Position("f1", epoch: 7, applied: 2), Position("f2", epoch: 7, applied: 5), Position("f3", epoch: 7, applied: 5) };

        var choice = RecoveryChoice.Choose(answers, requiredAnswers: 3, ClockBehind)!;

        choice.Source.Node.Should().Be("f2", "f2 and f3 have applied the same log, so either serves; the first asked is taken");
    }

    [Fact]
    public void RecoveryChoice_over_an_empty_cluster_fetches_no_snapshot_and_starts_empty_in_an_epoch_from_the_clock()
    {
        var answers = new[] { Position("f1", epoch: 0, applied: 0), Position("f2", epoch: 0, applied: 0) };
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        var choice = RecoveryChoice.Choose(answers, requiredAnswers: 2, now)!;
        var recovered = choice.Recover(null);

        choice.NeedsSnapshot.Should().BeFalse();
        choice.Accepts(null).Should().BeTrue();
        recovered.AppliedSeq.Should().Be(0);
        recovered.Items.Should().BeEmpty();
        recovered.Epoch.Should().Be(1_700_000_000_000, "followers that all came back empty say nothing of the epochs used before");
    }

    [Fact]
    public void RecoveryChoice_merges_held_back_entries_up_to_a_gap_and_no_further()
    {
        // f1 applied 1-2; f2 holds 3 and 5 behind its missing 1; f3 holds 4; nobody has 6, so 7 waits forever.
        var f1 = Replica(Entries.Put(1, "a", 1), Entries.Put(2, "b", 2));
        var answers = new[]
        {
            Position("f1", epoch: 1, applied: 2),
            Position("f2", epoch: 1, applied: 0, Entries.Put(3, "a", 3), Entries.Put(5, "c", 5)),
            Position("f3", epoch: 1, applied: 0, Entries.Delete(4, "b"), Entries.Put(7, "a", 7)),
        };

        var choice = RecoveryChoice.Choose(answers, requiredAnswers: 3, ClockBehind)!;
        var recovered = choice.Recover(SnapshotDocument.From("f1", f1));

        recovered.AppliedSeq.Should().Be(5, "3, 4 and 5 run on from seq 2; 6 reached no answering follower");
        recovered.Epoch.Should().Be(2);
        recovered.Items.Keys.Should().Equal("a", "c");
        recovered.Items["a"].Seq.Should().Be(3, "entry 7 lies past the gap at 6: applying it could resurrect what 6 overwrote");
    }

    [Fact]
    public void RecoveryChoice_merges_no_held_back_entry_of_another_epoch()
    {
        var answers = new[]
        {
            Position("f1", epoch: 2, applied: 1),
            Position("f2", epoch: 1, applied: 0, Entries.Put(2, "old", 2, epoch: 1)),
        };

        var choice = RecoveryChoice.Choose(answers, requiredAnswers: 2, ClockBehind)!;
        var recovered = choice.Recover(SnapshotDocument.From("f1", Replica(Entries.Put(1, "k", 1, epoch: 2))));

        recovered.AppliedSeq.Should().Be(1, "seq 2 of epoch 1 continues a different history than epoch 2's seq 1");
        recovered.Items.Keys.Should().Equal("k");
    }

    [Fact]
    public void RecoveryChoice_refuses_a_snapshot_behind_the_position_its_source_answered()
    {
        var answers = new[] { Position("f1", epoch: 3, applied: 4) };
        var choice = RecoveryChoice.Choose(answers, requiredAnswers: 1, ClockBehind)!;

        choice.Accepts(null).Should().BeFalse("the fetch failed");
        choice.Accepts(new SnapshotDocument("f1", 3, 3, new Dictionary<string, SnapshotDocument.Item>())).Should().BeFalse();
        choice.Accepts(new SnapshotDocument("f1", 3, 6, new Dictionary<string, SnapshotDocument.Item>())).Should().BeTrue("it applied more since it answered");
    }

    [Fact]
    public void RecoveryChoice_refuses_a_malformed_held_back_entry_rather_than_start_from_it()
    {
        var bad = new EntryDocument(1, 1, WriteOp.Put, "k", null);
        var answers = new[] { new PositionDocument("f1", 1, 0, [bad], new Uri("http://f1:8080")) };

        var choice = RecoveryChoice.Choose(answers, requiredAnswers: 1, ClockBehind)!;

        choice.Invoking(c => c.Recover(null)).Should().Throw<FormatException>();
    }

    private static PositionDocument Position(string node, long epoch, long applied, params LogEntry[] heldBack) =>
        new(node, epoch, applied, [.. heldBack.Select(EntryDocument.From)], new Uri($"http://{node}:8080"));

    private static StoreSnapshot Replica(params LogEntry[] log) =>
        log.Aggregate(StoreSnapshot.Empty(log[0].Epoch), (state, entry) => state.Apply(entry));
}
