using KvActors.Replication;
using KvActors.Replication.Leader;
using KvActors.Store;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.Leader;

/// <summary>The write coordinator's idempotency keys, seen from the client's probe and the followers' probes.</summary>
public sealed class IdempotentWriteSpecs : ActorSpec
{
    private static readonly TimeSpan Brief = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Coordinator_must_answer_a_retry_of_a_committed_write_with_its_seq_and_not_apply_it_again()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 1);
        rig.Write(Entries.PutCommand("k", "v"), "key-1");
        rig.Acknowledge(0);
        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.WriteCommitted("k", 1, 1, 1, TimeSpan.Zero));

        rig.Write(Entries.PutCommand("k", "v"), "key-1");

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.WriteCommitted("k", 1, 1, 1, null) { Replayed = true });
        rig.View.Current.AppliedSeq.Should().Be(1, "the retry was not applied");
        rig.Status().LastSeq.Should().Be(1);
        rig.Followers[1].ExpectMsg<ReplicationMessages.Replicate>().Entry.Seq.Should().Be(1);
        rig.Followers[1].ExpectNoMsg(Brief); // nothing more to replicate
    }

    [Fact]
    public void Coordinator_must_make_a_retry_of_a_write_in_flight_wait_for_its_answer_and_apply_it_once()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 2);
        rig.Write(Entries.PutCommand("k", "v"), "key-1");
        rig.Write(Entries.PutCommand("k", "v"), "key-1");
        rig.Acknowledge(0);
        rig.Client.ExpectNoMsg(Brief); // 1 of 2: neither the original nor its retry is answered yet

        rig.Acknowledge(1);

        var answers = new[] { rig.Client.ExpectMsg<WriteOutcome>(), rig.Client.ExpectMsg<WriteOutcome>() };
        answers.Should().AllSatisfy(a => a.Should().BeOfType<WriteOutcome.WriteCommitted>().Which.Seq.Should().Be(1));
        answers.Select(a => a.Replayed).Should().BeEquivalentTo([false, true], "one answer is the write's, one the retry's replay");
        rig.View.Current.AppliedSeq.Should().Be(1);
    }

    [Fact]
    public void Coordinator_must_answer_a_retry_of_a_504_with_the_current_acks_and_200_once_W_followers_hold_the_seq()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 2, timeoutMs: 1000);
        rig.Write(Entries.PutCommand("k", "v"), "key-1");
        rig.Acknowledge(0);
        rig.AwaitTrackerStarted(1);
        rig.Advance(TimeSpan.FromMilliseconds(1000));
        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.QuorumNotReached("k", 1, 1, 2));

        rig.Write(Entries.PutCommand("k", "v"), "key-1");
        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.QuorumNotReached("k", 1, 1, 2) { Replayed = true }, "still 1 of 2");

        // The tracker goes on delivering after its 504: a second follower now holds seq 1.
        rig.Acknowledge(1);
        AwaitAssert(() => rig.Status().Followers[1].AckedSeq.Should().Be(1));
        rig.Write(Entries.PutCommand("k", "v"), "key-1");

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.WriteCommitted("k", 1, 2, 2, null) { Replayed = true });
        rig.View.Current.AppliedSeq.Should().Be(1);
    }

    [Fact]
    public void Coordinator_must_refuse_a_key_reused_for_another_request_and_apply_nothing()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 0);
        rig.Write(Entries.PutCommand("k", "v"), "key-1", fingerprint: "request-a");
        rig.Client.ExpectMsg<WriteOutcome.WriteCommitted>().Seq.Should().Be(1);

        rig.Write(Entries.PutCommand("k", "other"), "key-1", fingerprint: "request-b");

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.IdempotencyKeyReused("k", "key-1"));
        rig.View.Current.AppliedSeq.Should().Be(1);
        rig.View.Current.Items["k"].Value.GetString().Should().Be("v");
    }

    [Fact]
    public void Coordinator_must_not_remember_a_write_refused_before_it_got_a_seq()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 0);
        var delete = new WriteCommand(WriteOp.Delete, "k", null);
        rig.Write(delete, "key-1");
        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.KeyNotFound("k"));
        rig.Put("k", "v");
        rig.Client.ExpectMsg<WriteOutcome.WriteCommitted>().Seq.Should().Be(1);

        rig.Write(delete, "key-1");

        rig.Client.ExpectMsg<WriteOutcome>().Should().Be(new WriteOutcome.WriteCommitted("k", 2, 0, 0, null), "the 404 changed nothing, so its retry is a new write");
        rig.View.Current.Items.Should().NotContainKey("k");
    }

    [Fact]
    public void Coordinator_must_forget_a_key_once_its_window_has_passed()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 0, idempotency: new IdempotencySettings(TimeSpan.FromSeconds(10), 100));
        rig.Write(Entries.PutCommand("k", "v"), "key-1");
        rig.Client.ExpectMsg<WriteOutcome.WriteCommitted>().Seq.Should().Be(1);
        AwaitAnswered(rig, 1);
        rig.Clock.Advance(TimeSpan.FromSeconds(9));
        rig.Write(Entries.PutCommand("k", "v"), "key-1");
        rig.Client.ExpectMsg<WriteOutcome.WriteCommitted>().Should().Match<WriteOutcome.WriteCommitted>(c => c.Seq == 1 && c.Replayed);

        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        rig.Write(Entries.PutCommand("k", "v"), "key-1");

        rig.Client.ExpectMsg<WriteOutcome.WriteCommitted>().Should().Match<WriteOutcome.WriteCommitted>(c => c.Seq == 2 && !c.Replayed);
    }

    [Fact]
    public void Coordinator_must_forget_the_oldest_answered_key_first_when_the_cap_is_reached()
    {
        var rig = LeaderRig.Start(this, writeQuorum: 0, idempotency: new IdempotencySettings(TimeSpan.FromHours(24), MaxKeys: 2));
        foreach (var key in new[] { "key-1", "key-2", "key-3" })
        {
            rig.Write(Entries.PutCommand(key, "v"), key);
            AwaitAnswered(rig, rig.Client.ExpectMsg<WriteOutcome.WriteCommitted>().Seq);
        }

        rig.Write(Entries.PutCommand("key-3", "v"), "key-3");
        rig.Client.ExpectMsg<WriteOutcome.WriteCommitted>().Should().Match<WriteOutcome.WriteCommitted>(c => c.Seq == 3 && c.Replayed);
        rig.Write(Entries.PutCommand("key-1", "v"), "key-1");

        rig.Client.ExpectMsg<WriteOutcome.WriteCommitted>().Should().Match<WriteOutcome.WriteCommitted>(c => c.Seq == 4 && !c.Replayed, "key-1 was the oldest of three with room for two");
    }

    // The client hears from the tracker before the coordinator does, and the coordinator starts a
    // key's window when it hears: wait for that before moving time or counting keys.
    private void AwaitAnswered(LeaderRig rig, long writes) =>
        AwaitAssert(() => (rig.Status().WritesCommitted + rig.Status().WritesNotCommitted).Should().Be(writes));
}
