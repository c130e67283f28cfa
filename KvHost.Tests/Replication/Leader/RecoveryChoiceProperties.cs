using FsCheck;
using FsCheck.Fluent;
using KvActors.Replication.CatchUp;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Replication.Wire;
using KvActors.Store;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.Leader;

/// <summary>The README's leader-restart guarantee, checked against recovery's choice over generated clusters.</summary>
public sealed class RecoveryChoiceProperties
{
    private const int Followers = 5;

    // The dead leader's epoch; a follower left behind is in the one before it.
    private const long LeaderEpoch = 1_000;

    /// <summary>
    /// For any log of writes, any W from 1 to 5, either ack mode, five followers in any state the
    /// protocol allows and any N − W + 1 or more of them answering, the recovered state keeps what
    /// the mode promises.
    /// </summary>
    /// <remarks>
    /// <para>The cluster: the dead leader wrote entries 1..L in its epoch, on top of a state at seq B
    /// that every follower of its epoch installed. Each such follower received any subset of the
    /// entries after B; it applied the longest run from 1 and holds back the rest, which is what
    /// <see cref="FollowerReplica{TWaiter}"/> does with any delivery order. A follower may instead be
    /// left behind (never reached in this epoch: restarted empty, or still in the epoch before with
    /// any state and held-back entries of its own); it acknowledged nothing of this epoch.</para>
    /// <para>A write counts as acknowledged when W followers of the epoch could have acknowledged it:
    /// applied it (<c>ACK_MODE=applied</c>) or hold it, applied or held back (<c>received</c>). That is
    /// every write the leader may have answered 200 before it died, a superset of those it did.</para>
    /// <para>Checked, with H the entries the answering followers of the leader's epoch hold (applied or
    /// held back):</para>
    /// <list type="number">
    /// <item>the new epoch is above every answering follower's epoch;</item>
    /// <item>every acknowledged write reached an answering follower (R + W &gt; N);</item>
    /// <item>if one of the answering followers is of the leader's epoch, the recovered state is exactly
    /// the leader's state at S, the end of the run 1..S inside H: nothing past a gap, nothing of
    /// another epoch, nothing invented;</item>
    /// <item>applied mode: every acknowledged write has seq at most S, so it is kept;</item>
    /// <item>received mode: an acknowledged write with seq above S has an entry before it that is not in
    /// H, one that reached none of the answering followers: the README's stated exception, and the
    /// only loss;</item>
    /// <item>if no answering follower is of the leader's epoch, no write was acknowledged, and the state
    /// is at least the most advanced answer's.</item>
    /// </list>
    /// <para>A follower still in an older epoch holds a newer epoch's entries as pending, which its
    /// position does not report; it acknowledges none of them until that epoch's snapshot is
    /// installed, so it is generated here as left behind, having acknowledged nothing.</para>
    /// </remarks>
    [Fact]
    public void Recovery_from_any_N_minus_W_plus_1_followers_keeps_every_write_its_ack_mode_promises()
    {
        var cases = from length in Gen.Choose(0, 30)
                    from writeQuorum in Gen.Choose(1, Followers)
                    from mode in Gen.Elements(AckMode.Applied, AckMode.Received)
                    from seed in Gen.Choose(0, int.MaxValue - 1)
                    select new Case(length, writeQuorum, mode, seed);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000).WithQuietOnSuccess(true), Prop.ForAll(cases.ToArbitrary(), Verify));
    }

    private static void Verify(Case c)
    {
        var random = new Random(c.Seed);
        var log = Enumerable.Range(1, c.Length)
            .Select(seq => random.Next(4) == 0 ? Entries.Delete(seq, $"k{random.Next(3)}", LeaderEpoch) : Entries.Put(seq, $"k{random.Next(3)}", seq, LeaderEpoch))
            .ToList();
        var leader = new List<StoreSnapshot> { StoreSnapshot.Empty(LeaderEpoch) };
        foreach (var entry in log)
        {
            leader.Add(leader[^1].Apply(entry));
        }

        var baseSeq = random.Next(Math.Min(c.Length, 5) + 1);

        var followers = Enumerable.Range(1, Followers).Select(i => Generate($"f{i}", random, log, leader, baseSeq)).ToList();
        bool Acknowledges(Follower f, long seq) => c.Mode == AckMode.Applied ? f.State.Epoch == LeaderEpoch && f.State.AppliedSeq >= seq : f.Received.Contains(seq);
        var acknowledged = log.Select(e => e.Seq).Where(seq => followers.Count(f => Acknowledges(f, seq)) >= c.WriteQuorum).ToList();

        var required = RecoveryChoice.RequiredAnswers(Followers, c.WriteQuorum);
        var answering = followers.OrderBy(_ => random.Next()).Take(random.Next(required, Followers + 1)).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(random.Next(2) == 0 ? 0 : LeaderEpoch + random.Next(-2, 3));

        // Act: what LeaderRecovery does, without the network.
        var choice = RecoveryChoice.Choose([.. answering.Select(f => f.Position)], required, now);
        choice.Should().NotBeNull($"{answering.Count} answers, {required} required");
        var source = answering[choice!.SourceIndex];
        var snapshot = choice.NeedsSnapshot ? SnapshotDocument.From(source.Name, source.State) : null;
        choice.Accepts(snapshot).Should().BeTrue("the source's own snapshot is as advanced as its answer");
        var recovered = choice.Recover(snapshot);

        recovered.Epoch.Should().Be(choice.NewEpoch).And.BeGreaterThan(answering.Max(f => f.State.Epoch));
        acknowledged.Where(seq => !answering.Any(f => Acknowledges(f, seq))).Should().BeEmpty("any N - W + 1 followers include one of the W that acknowledged a write");

        var current = answering.Where(f => f.State.Epoch == LeaderEpoch).ToList();
        if (current.Count == 0)
        {
            acknowledged.Should().BeEmpty("no answering follower is of the leader's epoch, so none of its writes reached W");
            recovered.AppliedSeq.Should().BeGreaterThanOrEqualTo(answering.Max(f => f.State.AppliedSeq));
            return;
        }

        var held = current.SelectMany(f => f.Received).ToHashSet();
        var end = 0L;
        while (held.Contains(end + 1))
        {
            end++;
        }

        recovered.AppliedSeq.Should().Be(end, "the merge runs to the first entry no answering follower holds, and stops there");
        Describe(recovered).Should().Equal(Describe(leader[(int)end]), "the recovered state is the leader's at that seq");
        if (c.Mode == AckMode.Applied)
        {
            acknowledged.Where(seq => seq > end).Should().BeEmpty("applied mode loses no acknowledged write");
        }
        else
        {
            acknowledged.Where(seq => seq > end && Enumerable.Range(1, (int)seq - 1).All(before => held.Contains(before))).Should().BeEmpty(
                "received mode loses a write only behind an entry that reached none of the answering followers");
        }
    }

    private static Follower Generate(string name, Random random, List<LogEntry> log, List<StoreSnapshot> leader, int baseSeq)
    {
        if (random.Next(6) == 0)
        {
            return LeftBehind(name, random, log.Count);
        }

        // How lossy this follower's link was: from most entries missing to none.
        var delivered = random.Next(1, 5) / 4.0;
        var received = log.Select(e => e.Seq).Where(seq => seq <= baseSeq || random.NextDouble() < delivered).ToHashSet();
        var applied = 0;
        while (received.Contains(applied + 1))
        {
            applied++;
        }

        var heldBack = log.Where(e => e.Seq > applied && received.Contains(e.Seq)).ToList();
        return new Follower(name, leader[applied], heldBack, received);
    }

    // Never reached in the leader's epoch: restarted empty, or in the epoch before with a state and
    // held-back entries of that history, at seqs that overlap the leader's so a merge across epochs would show.
    private static Follower LeftBehind(string name, Random random, int length)
    {
        if (random.Next(3) == 0)
        {
            return new Follower(name, StoreSnapshot.Empty(0), [], new HashSet<long>());
        }

        var epoch = LeaderEpoch - 1;
        var applied = random.Next(length + 10);
        var state = applied == 0 ? StoreSnapshot.Empty(epoch) : StoreSnapshot.Empty(epoch).Apply(Entries.Put(1, "stale", 1, epoch)) with { AppliedSeq = applied };
        var heldBack = Enumerable.Range(applied + 2, random.Next(3)).Select(seq => Entries.Put(seq, "stale", seq, epoch)).ToList();
        return new Follower(name, state, heldBack, new HashSet<long>());
    }

    private static List<string> Describe(StoreSnapshot state) =>
        [.. state.Items.Select(i => $"{i.Key}={i.Value.Value.GetRawText()}@{i.Value.Seq}")];

    /// <summary>One generated case; the seed draws the log, the followers and who answers, reproducibly.</summary>
    private sealed record Case(int Length, int WriteQuorum, AckMode Mode, int Seed);

    /// <summary>A follower as recovery sees it, and what it received of the leader's epoch (applied or held back).</summary>
    private sealed record Follower(string Name, StoreSnapshot State, IReadOnlyList<LogEntry> HeldBack, IReadOnlySet<long> Received)
    {
        public PositionDocument Position { get; } =
            new(Name, State.Epoch, State.AppliedSeq, [.. HeldBack.Select(EntryDocument.From)], new Uri($"http://{Name}:8080"));
    }
}
