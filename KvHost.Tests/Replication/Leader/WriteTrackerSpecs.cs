using KvActors.Replication.Leader;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.Leader;

/// <summary>The per-write child, seen from the client's reply and the followers' probes.</summary>
public sealed class WriteTrackerSpecs
{
    private static readonly TimeSpan Brief = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Tracker_must_answer_committed_at_the_Wth_distinct_acknowledgement()
    {
        await using var rig = LeaderRig.Start(writeQuorum: 3);
        var write = rig.Put("k", "v");

        var first = await rig.Acknowledge(0);
        await rig.Acknowledge(0, first);
        await rig.Acknowledge(1);
        await Task.Delay(Brief);
        write.IsCompleted.Should().BeFalse("a follower acknowledging twice counts once: 2 of 3");

        await rig.Acknowledge(2);

        (await write.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(new WriteOutcome.WriteCommitted("k", 1, 3, 3));
    }

    [Fact]
    public async Task Tracker_must_answer_504_with_the_acks_so_far_when_the_timeout_passes()
    {
        await using var rig = LeaderRig.Start(writeQuorum: 3, timeoutMs: 2000);
        var write = rig.Put("k", "v");
        await rig.Acknowledge(0);
        await rig.Acknowledge(1);

        rig.Clock.Advance(TimeSpan.FromMilliseconds(1999));
        await Task.Delay(Brief);
        write.IsCompleted.Should().BeFalse();
        rig.Clock.Advance(TimeSpan.FromMilliseconds(1));

        (await write.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(new WriteOutcome.QuorumNotReached("k", 1, 2, 3));
        (await rig.Status()).WritesNotCommitted.Should().Be(1);
    }

    [Fact]
    public async Task Tracker_must_answer_at_once_when_W_is_zero_and_still_replicate()
    {
        await using var rig = LeaderRig.Start(writeQuorum: 0);

        var outcome = await rig.Put("k", "v").WaitAsync(TimeSpan.FromSeconds(5));

        outcome.Should().Be(new WriteOutcome.WriteCommitted("k", 1, 0, 0));
        foreach (var follower in rig.Followers)
        {
            (await follower.ExpectMsgAsync<KvActors.Replication.ReplicationMessages.Replicate>()).Entry.Seq.Should().Be(1);
        }
    }

    [Fact]
    public async Task Tracker_must_send_each_follower_the_entry_only_after_its_simulated_delay()
    {
        await using var rig = LeaderRig.Start(writeQuorum: 1, minDelayMs: 500, maxDelayMs: 500);
        var write = rig.Put("k", "v");
        await Eventually.AssertAsync(async () => (await rig.Status()).LastSeq.Should().Be(1), TimeSpan.FromSeconds(5));

        rig.Clock.Advance(TimeSpan.FromMilliseconds(499));
        await rig.Followers[0].ExpectNoMsgAsync(Brief);
        rig.Clock.Advance(TimeSpan.FromMilliseconds(1));

        foreach (var follower in rig.Followers)
        {
            await follower.ExpectMsgAsync<KvActors.Replication.ReplicationMessages.Replicate>();
        }

        write.IsCompleted.Should().BeFalse("nobody has acknowledged yet");
    }

    [Fact]
    public async Task Tracker_must_keep_delivering_to_the_rest_after_answering()
    {
        await using var rig = LeaderRig.Start(writeQuorum: 5, minDelayMs: 500, maxDelayMs: 500, timeoutMs: 100);
        var write = rig.Put("k", "v");
        await Eventually.AssertAsync(async () => (await rig.Status()).LastSeq.Should().Be(1), TimeSpan.FromSeconds(5));

        rig.Clock.Advance(TimeSpan.FromMilliseconds(100));
        (await write.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeOfType<WriteOutcome.QuorumNotReached>();
        rig.Clock.Advance(TimeSpan.FromMilliseconds(400));

        for (var i = 0; i < rig.Followers.Length; i++)
        {
            await rig.Acknowledge(i);
        }

        await Eventually.AssertAsync(
            async () => (await rig.Status()).Followers.Should().OnlyContain(f => f.AckedSeq == 1),
            TimeSpan.FromSeconds(5));
        (await rig.Status()).WritesInFlight.Should().Be(0, "the tracker stops once every follower answered");
    }

    [Fact]
    public async Task Tracker_must_answer_504_as_soon_as_too_many_followers_failed_for_W()
    {
        await using var rig = LeaderRig.Start(writeQuorum: 3, timeoutMs: 60_000);
        var write = rig.Put("k", "v");

        await rig.Fail(0);
        await rig.Fail(1);
        await rig.Acknowledge(2);
        await rig.Fail(3);

        (await write.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(new WriteOutcome.QuorumNotReached("k", 1, 1, 3));
        (await rig.Status()).Followers[0].LastError.Should().Be("connection refused");
    }

    [Fact]
    public async Task Coordinator_must_number_concurrent_writes_without_gaps()
    {
        await using var rig = LeaderRig.Start(writeQuorum: 0);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => rig.Put($"k{i % 10}", i)));

        outcomes.Cast<WriteOutcome.WriteCommitted>().Select(o => o.Seq).Order().Should().Equal(Enumerable.Range(1, 50).Select(i => (long)i));
        rig.Store.Current.AppliedSeq.Should().Be(50);
    }
}
