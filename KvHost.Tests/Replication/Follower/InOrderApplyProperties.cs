using FsCheck;
using FsCheck.Fluent;
using KvActors.Store;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.Follower;

/// <summary>The follower's central invariant, checked over generated delivery orders.</summary>
public sealed class InOrderApplyProperties
{
    [Fact]
    public void Any_delivery_order_with_duplicates_ends_in_the_leaders_state()
    {
        var cases = from count in Gen.Choose(1, 40)
                    from seed in Gen.Choose(0, int.MaxValue - 1)
                    select (count, seed);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (count, seed) = c;
            var random = new Random(seed);

            // The leader's log: writes and deletes over a few keys, so order matters.
            var log = Enumerable.Range(1, count)
                .Select(seq => random.Next(4) == 0 ? Entries.Delete(seq, $"k{random.Next(3)}") : Entries.Put(seq, $"k{random.Next(3)}", seq))
                .ToList();
            var leader = log.Aggregate(StoreSnapshot.Empty(1), (state, entry) => entry.Op == WriteOp.Delete && !state.Items.ContainsKey(entry.Key)
                ? state with { AppliedSeq = entry.Seq }
                : state.Apply(entry));

            // The network: every entry at least once, some twice, in any order.
            var deliveries = log.Concat(log.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();
            var follower = Replicas.Started();
            foreach (var entry in deliveries)
            {
                follower.Replicate(entry, "leader");
            }

            var state = follower.State;
            return state.AppliedSeq == count
                && state.Items.Count == leader.Items.Count
                && state.Items.All(i => leader.Items.TryGetValue(i.Key, out var v) && v.Seq == i.Value.Seq);
        }).QuickCheckThrowOnFailure();
    }
}
