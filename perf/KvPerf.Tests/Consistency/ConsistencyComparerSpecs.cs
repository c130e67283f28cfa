using KvPerf.Consistency;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Consistency;

public sealed class ConsistencyComparerSpecs
{
    // The leader after writes 1..4: k0 written at seq 1 and again at 3, k1 at 2, k2 at 4.
    private static readonly KvPerf.Client.KvSnapshot Leader = Snapshots.Of("leader", 4,
        ("k0", """{"write": 3}""", 3), ("k1", """{"write": 2}""", 2), ("k2", """{"write": 4}""", 4));

    [Fact]
    public void Follower_with_the_leaders_items_and_appliedSeq_is_equal()
    {
        var follower = Snapshots.Of("follower1", 4,
            ("k2", """{"write":4}""", 4), ("k0", """{"write":3}""", 3), ("k1", """{"write":2}""", 2));

        var result = ConsistencyComparer.Compare(Leader, follower);

        result.Should().Be(new FollowerConsistency("follower1", true, 4, 0, 0, 0, 0));
    }

    [Fact]
    public void Follower_missing_keys_counts_them_missing_and_is_not_equal()
    {
        // Applied seqs 1 and 2 only: k2's first write has not arrived.
        var follower = Snapshots.Of("follower2", 2, ("k0", """{"write": 1}""", 1), ("k1", """{"write": 2}""", 2));

        var result = ConsistencyComparer.Compare(Leader, follower);

        result.Equal.Should().BeFalse();
        result.MissingKeys.Should().Be(1);
        result.OlderKeys.Should().Be(1, "k0 is still at seq 1, the leader has it at seq 3");
        result.LagSeq.Should().Be(2);
        result.MismatchedKeys.Should().Be(0);
    }

    [Fact]
    public void Follower_holding_keys_at_an_older_seq_counts_them_older()
    {
        // Writes 1..12 over k0 and k1; the follower has applied up to seq 10, missing the last round.
        var leader = Snapshots.Of("leader", 12, ("k0", "11", 11), ("k1", "12", 12));
        var follower = Snapshots.Of("follower3", 10, ("k0", "9", 9), ("k1", "10", 10));

        var result = ConsistencyComparer.Compare(leader, follower);

        result.Equal.Should().BeFalse();
        result.OlderKeys.Should().Be(2);
        result.MissingKeys.Should().Be(0);
    }

    [Fact]
    public void Follower_at_the_same_seq_with_another_value_counts_a_mismatch()
    {
        var follower = Snapshots.Of("follower4", 4,
            ("k0", """{"write": 3}""", 3), ("k1", """{"write": 99}""", 2), ("k2", """{"write": 4}""", 4));

        var result = ConsistencyComparer.Compare(Leader, follower);

        result.Equal.Should().BeFalse();
        result.MismatchedKeys.Should().Be(1);
        result.MissingKeys.Should().Be(0);
        result.OlderKeys.Should().Be(0);
    }

    [Fact]
    public void Follower_with_a_key_the_leader_lacks_counts_a_mismatch()
    {
        var follower = Snapshots.Of("follower5", 4,
            ("k0", """{"write": 3}""", 3), ("k1", """{"write": 2}""", 2), ("k2", """{"write": 4}""", 4), ("k9", "1", 4));

        var result = ConsistencyComparer.Compare(Leader, follower);

        result.Equal.Should().BeFalse();
        result.MismatchedKeys.Should().Be(1);
    }

    [Fact]
    public void Follower_with_equal_items_but_another_appliedSeq_is_not_equal()
    {
        var follower = Snapshots.Of("follower1", 3,
            ("k0", """{"write": 3}""", 3), ("k1", """{"write": 2}""", 2), ("k2", """{"write": 4}""", 4));

        var result = ConsistencyComparer.Compare(Leader, follower);

        result.Equal.Should().BeFalse();
        result.LagSeq.Should().Be(1);
    }
}
