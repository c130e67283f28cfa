using Akka.Remote;
using KvActors.Replication;
using KvActors.Replication.Leader;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.Leader;

/// <summary>The per-write child, seen from the client's probe and the followers' probes.</summary>
public sealed class WriteTrackerSpecs : ActorSpec
{
    private static readonly TimeSpan Brief = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Tracker_must_answer_committed_at_the_Wth_distinct_acknowledgement()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 3);
        rig.Put("k", "v");

        var first = rig.Acknowledge(0);
        rig.Acknowledge(0, first);
        rig.Acknowledge(1);
        rig.Client.ExpectNoMsg(Brief); // a follower acknowledging twice counts once: 2 of 3

        rig.Acknowledge(2);

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.WriteCommitted("k", 1, 3, 3, TimeSpan.Zero));
    }

    [Fact]
    public void Tracker_must_carry_in_the_committed_outcome_the_simulated_delay_of_the_Wth_distinct_acknowledger()
    {
        // Arrange: delays drawn from 100..400 ms; the clocks show which follower was sent the entry when.
        var rig = LeaderRig.Start(this, writeQuorum: 2, minDelayMs: 100, maxDelayMs: 400, timeoutMs: 60_000);
        rig.Put("k", "v");
        var sentAt = rig.AdvanceAndObserveSends(seq: 1, TimeSpan.FromMilliseconds(400));
        sentAt.Should().OnlyContain(d => d >= TimeSpan.FromMilliseconds(100) && d <= TimeSpan.FromMilliseconds(400));
        var delays = sentAt.Select(d => d!.Value).ToArray();

        // Act: the slowest follower acknowledges first, twice, then the fastest: the fastest's is the
        // 2nd distinct acknowledgement, so its delay is the one reported, not the first acknowledger's.
        var bySlowest = Enumerable.Range(0, delays.Length).OrderByDescending(i => delays[i]).ToArray();
        var (slowest, fastest) = (bySlowest[0], bySlowest[^1]);
        delays[slowest].Should().NotBe(delays[fastest], "the spec tells the two apart by their delays");
        var entry = rig.Acknowledge(slowest);
        rig.Acknowledge(slowest, entry);
        rig.Client.ExpectNoMsg(Brief);
        rig.Acknowledge(fastest);

        // Assert
        var committed = rig.Client.ExpectMsg<WriteOutcome>().Should().BeOfType<WriteOutcome.WriteCommitted>().Subject;
        committed.Acks.Should().Be(2);
        committed.QuorumDelay.Should().Be(delays[fastest]);
    }

    [Fact]
    public void Tracker_must_answer_504_with_the_acks_so_far_when_the_timeout_passes()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 3, timeoutMs: 2000);
        rig.Put("k", "v");
        rig.Acknowledge(0);
        rig.Acknowledge(1);

        rig.Advance(TimeSpan.FromMilliseconds(1999));
        rig.Client.ExpectNoMsg(Brief);
        rig.Advance(TimeSpan.FromMilliseconds(1));

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.QuorumNotReached("k", 1, 2, 3));
        rig.Status().WritesNotCommitted.Should().Be(1);
    }

    [Fact]
    public void Tracker_must_answer_at_once_when_W_is_zero_and_still_replicate()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 0);
        rig.Put("k", "v");

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.WriteCommitted("k", 1, 0, 0, QuorumDelay: null));
        foreach (var follower in rig.Followers)
        {
            follower.ExpectMsg<ReplicationMessages.Replicate>().Entry.Seq.Should().Be(1);
        }
    }

    [Fact]
    public void Tracker_must_send_each_follower_the_entry_only_after_its_simulated_delay()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 1, minDelayMs: 500, maxDelayMs: 500);
        rig.Put("k", "v");
        rig.AwaitTrackerStarted(seq: 1);

        rig.Advance(TimeSpan.FromMilliseconds(499));
        rig.Followers[0].ExpectNoMsg(Brief);
        rig.Advance(TimeSpan.FromMilliseconds(1));

        foreach (var follower in rig.Followers)
        {
            follower.ExpectMsg<ReplicationMessages.Replicate>();
        }

        rig.Client.ExpectNoMsg(Brief); // nobody has acknowledged yet
    }

    [Fact]
    public void Tracker_must_keep_delivering_to_the_rest_after_answering()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 5, minDelayMs: 500, maxDelayMs: 500, timeoutMs: 100);
        rig.Put("k", "v");
        rig.AwaitTrackerStarted(seq: 1);

        rig.Advance(TimeSpan.FromMilliseconds(100));
        rig.Client.ExpectMsg<WriteOutcome>().Should().BeOfType<WriteOutcome.QuorumNotReached>();
        rig.Advance(TimeSpan.FromMilliseconds(400));

        for (var i = 0; i < rig.Followers.Length; i++)
        {
            rig.Acknowledge(i);
        }

        AwaitAssert(() => rig.Status().Followers.Should().OnlyContain(f => f.AckedSeq == 1));
        AwaitAssert(() => rig.Status().WritesInFlight.Should().Be(0, "the tracker stops once every follower answered"));
    }

    [Fact]
    public void Tracker_must_answer_504_as_soon_as_too_many_followers_failed_for_W()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 3, timeoutMs: 60_000);
        rig.Put("k", "v");

        rig.Fail(0);
        rig.Fail(1);
        rig.Acknowledge(2);
        rig.Fail(3);

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.QuorumNotReached("k", 1, 1, 3));
        rig.Status().Followers[0].LastError.Should().Be("connection refused");
    }

    [Fact]
    public void Coordinator_must_number_concurrent_writes_without_gaps()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 0);

        for (var i = 0; i < 50; i++)
        {
            rig.Put($"k{i % 10}", i);
        }

        var outcomes = Enumerable.Range(0, 50).Select(_ => rig.Client.ExpectMsg<WriteOutcome>()).ToList();
        outcomes.Cast<WriteOutcome.WriteCommitted>().Select(o => o.Seq).Order().Should().Equal(Enumerable.Range(1, 50).Select(i => (long)i));
        rig.View.Current.AppliedSeq.Should().Be(50);
    }

    [Fact]
    public void Coordinator_must_answer_a_delete_of_a_missing_key_as_not_found_without_a_seq()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 1);

        rig.Coordinator.Tell(new WriteCoordinatorMessages.Write(new KvActors.Store.WriteCommand(KvActors.Store.WriteOp.Delete, "ghost", null)), rig.Client);

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.KeyNotFound("ghost"));
        rig.Status().LastSeq.Should().Be(0);
    }

    [Fact]
    public void Tracker_must_send_again_to_a_silent_follower_with_backoff_until_it_acknowledges()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 1, followers: 2, timeoutMs: 60_000);
        rig.Put("k", "v");
        rig.Acknowledge(0);
        rig.Client.ExpectMsg<WriteOutcome>().Should().BeOfType<WriteOutcome.WriteCommitted>();
        var lost = rig.Followers[1].ExpectMsg<ReplicationMessages.Replicate>();

        rig.Advance(TimeSpan.FromMilliseconds(499));
        rig.Followers[1].ExpectNoMsg(Brief);
        rig.Advance(TimeSpan.FromMilliseconds(1));
        rig.Followers[1].ExpectMsg<ReplicationMessages.Replicate>().Should().Be(lost, "Akka.Remote delivers at most once, so the tracker sends the same entry again");
        rig.Advance(TimeSpan.FromMilliseconds(999));
        rig.Followers[1].ExpectNoMsg(Brief);
        rig.Advance(TimeSpan.FromMilliseconds(1));
        rig.Acknowledge(1);

        rig.Advance(TimeSpan.FromSeconds(10));
        rig.Followers[1].ExpectNoMsg(Brief);
        AwaitAssert(() => rig.Status().WritesInFlight.Should().Be(0));
    }

    [Fact]
    public void Tracker_must_send_again_at_once_when_a_silent_followers_node_is_reachable_again()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 2, followers: 2, timeoutMs: 60_000);
        rig.Put("k", "v");
        rig.Acknowledge(0);
        var lost = rig.Followers[1].ExpectMsg<ReplicationMessages.Replicate>();
        rig.Advance(TimeSpan.FromMilliseconds(500));
        rig.Followers[1].ExpectMsg<ReplicationMessages.Replicate>(); // the first resend, 500 ms after the send

        // The next backoff step is 1 s away; the association coming back must not wait for it.
        var address = rig.Followers[1].Ref.Path.Address;
        Sys.EventStream.Publish(new AssociatedEvent(address, address, inbound: false));
        rig.Followers[1].ExpectMsg<ReplicationMessages.Replicate>().Should().Be(lost, "what was dropped while gated goes out again at once");
        rig.Acknowledge(1, lost);
        rig.Client.ExpectMsg<WriteOutcome>().Should().BeOfType<WriteOutcome.WriteCommitted>();
        rig.Followers[0].ExpectNoMsg(Brief); // the follower that acknowledged is not sent the entry again
    }

    [Fact]
    public void Tracker_must_count_a_follower_failed_once_the_delivery_window_has_passed()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 2, followers: 2, timeoutMs: 60_000, deliveryWindowMs: 5000);
        rig.Put("k", "v");
        rig.Acknowledge(0);
        rig.Followers[1].ExpectMsg<ReplicationMessages.Replicate>();

        for (var elapsed = 0; elapsed < 16; elapsed++)
        {
            rig.Advance(TimeSpan.FromSeconds(1));
        }

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.QuorumNotReached("k", 1, 1, 2), "W cannot be reached once follower2 has failed");
        rig.Status().Followers[1].LastError.Should().Contain("no acknowledgement within 5 s");
        AwaitAssert(() => rig.Status().WritesInFlight.Should().Be(0));
    }

    [Fact]
    public void Tracker_must_count_an_answer_for_the_follower_it_comes_from_whatever_name_it_gives()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 2, followers: 2);
        rig.Put("k", "v");
        var message = rig.Followers[0].ExpectMsg<ReplicationMessages.Replicate>();
        var tracker = rig.Followers[0].LastSender;

        tracker.Tell(new ReplicationMessages.Replicated("follower2", 1, 1), rig.Followers[0].Ref);
        tracker.Tell(new ReplicationMessages.Replicated("follower2", 1, 1), rig.Followers[0].Ref);
        rig.Client.ExpectNoMsg(Brief); // follower1 answered twice in follower2's name: one acknowledgement

        rig.Acknowledge(1);
        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.WriteCommitted("k", message.Entry.Seq, 2, 2, TimeSpan.Zero));
    }
}
