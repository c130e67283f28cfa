using Akka.Actor;
using Akka.TestKit;
using KvActors.Replication;
using KvActors.Replication.Leader;
using KvActors.Store;
using Microsoft.Extensions.Time.Testing;

namespace KvHost.Tests.TestKit;

/// <summary>
/// A leader's store and write coordinator with a <see cref="TestProbe"/> standing in for each
/// follower and one for the client: the spec sees every replicate message and decides which
/// follower answers, and when. Time moves only by <see cref="Advance"/>: the simulated delays run
/// on a <see cref="FakeTimeProvider"/>, the replication timeout on Akka's <see cref="TestScheduler"/>.
/// </summary>
public sealed class LeaderRig
{
    private readonly TestKitBase _kit;
    private readonly TestScheduler _scheduler;

    private LeaderRig(TestKitBase kit, FakeTimeProvider clock, StoreView view, IActorRef coordinator, TestProbe[] followers)
    {
        _kit = kit;
        Clock = clock;
        _scheduler = (TestScheduler)kit.Sys.Scheduler;
        View = view;
        Coordinator = coordinator;
        Followers = followers;
        Client = kit.CreateTestProbe("client");
    }

    public FakeTimeProvider Clock { get; }

    public StoreView View { get; }

    public IActorRef Coordinator { get; }

    public TestProbe[] Followers { get; }

    /// <summary>Receives every write's <see cref="WriteOutcome"/>.</summary>
    public TestProbe Client { get; }

    public static LeaderRig Start(TestKitBase kit, int writeQuorum, int minDelayMs = 0, int maxDelayMs = 0, int timeoutMs = 1000, int followers = 5, int deliveryWindowMs = 60_000, IdempotencySettings? idempotency = null)
    {
        var view = new StoreView();
        var store = kit.Sys.ActorOf(StoreActor.ForLeader(view, new ReplicationLog(1000)), "store");
        store.Tell(new StoreMessages.BecomeLeader(StoreSnapshot.Empty(1)), kit.TestActor);
        kit.ExpectMsg<StoreSnapshot>();
        var probes = Enumerable.Range(1, followers).Select(i => kit.CreateTestProbe($"follower{i}")).ToArray();
        var settings = new ReplicationSettings(writeQuorum, TimeSpan.FromMilliseconds(minDelayMs), TimeSpan.FromMilliseconds(maxDelayMs), TimeSpan.FromMilliseconds(timeoutMs))
        {
            DeliveryWindow = TimeSpan.FromMilliseconds(deliveryWindowMs),
        };
        var clock = new FakeTimeProvider();
        var refs = probes.Select((p, i) => new FollowerRef($"follower{i + 1}", p.Ref)).ToList();
        var coordinator = kit.Sys.ActorOf(WriteCoordinator.Props(store, refs, settings, clock, new Random(42), idempotency), "write-coordinator");
        return new LeaderRig(kit, clock, view, coordinator, probes);
    }

    public void Put(string key, object value) =>
        Coordinator.Tell(new WriteCoordinatorMessages.Write(Entries.PutCommand(key, value)), Client);

    /// <summary>A write carrying an <c>Idempotency-Key</c>, as the HTTP edge sends it: the fingerprint stands for the request.</summary>
    public void Write(WriteCommand command, string idempotencyKey, string fingerprint = "request-a") =>
        Coordinator.Tell(new WriteCoordinatorMessages.Write(command, new IdempotentRequest(idempotencyKey, fingerprint)), Client);

    /// <summary>
    /// Waits until the tracker of write <paramref name="seq"/> has started, so its timers exist
    /// before a spec moves the clocks: a child's PreStart runs on its own, after its parent spawned it.
    /// </summary>
    public void AwaitTrackerStarted(long seq)
    {
        var probe = _kit.CreateTestProbe();
        _kit.AwaitAssert(() =>
        {
            // A child answers Identify only after its PreStart, which schedules its delays and timeout.
            _kit.Sys.ActorSelection($"/user/write-coordinator/write-{seq}").Tell(new Identify(seq), probe);
            probe.ExpectMsg<ActorIdentity>().Subject.Should().NotBeNull();
        });
    }

    /// <summary>
    /// Moves both clocks 1 ms at a time for <paramref name="span"/> and returns, per follower, how far
    /// in it was sent write <paramref name="seq"/>'s entry (its simulated delay, to the ms), or
    /// <see langword="null"/> if it was not sent one. Each follower's entry is left in its probe.
    /// </summary>
    public TimeSpan?[] AdvanceAndObserveSends(long seq, TimeSpan span)
    {
        AwaitTrackerStarted(seq);
        var sentAt = new TimeSpan?[Followers.Length];
        var sync = _kit.CreateTestProbe();
        for (var elapsed = TimeSpan.FromMilliseconds(1); elapsed <= span; elapsed += TimeSpan.FromMilliseconds(1))
        {
            Advance(TimeSpan.FromMilliseconds(1));

            // The timers that came due told the tracker before Advance returned; its answer to
            // Identify comes after it has handled them, so any entry they sent is in its probe now.
            _kit.Sys.ActorSelection($"/user/write-coordinator/write-{seq}").Tell(new Identify(elapsed), sync);
            sync.ExpectMsg<ActorIdentity>();
            for (var i = 0; i < Followers.Length; i++)
            {
                if (sentAt[i] is null && Followers[i].HasMessages)
                {
                    sentAt[i] = elapsed;
                }
            }
        }

        return sentAt;
    }

    /// <summary>Moves both clocks: the simulated delays' and Akka's.</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        _scheduler.Advance(by);
    }

    /// <summary>Follower <paramref name="index"/> takes its next replicate message and acknowledges it.</summary>
    public ReplicationMessages.Replicate Acknowledge(int index, ReplicationMessages.Replicate? message = null)
    {
        var probe = Followers[index];
        message ??= probe.ExpectMsg<ReplicationMessages.Replicate>();
        probe.LastSender.Tell(new ReplicationMessages.Replicated($"follower{index + 1}", message.Entry.Seq, message.Entry.Seq), probe.Ref);
        return message;
    }

    public void Fail(int index)
    {
        var probe = Followers[index];
        var message = probe.ExpectMsg<ReplicationMessages.Replicate>();
        probe.LastSender.Tell(new ReplicationMessages.ReplicationFailed($"follower{index + 1}", message.Entry.Seq, "connection refused"), probe.Ref);
    }

    public LeaderStatus Status()
    {
        var asker = _kit.CreateTestProbe();
        Coordinator.Tell(WriteCoordinatorMessages.GetStatus.Instance, asker);
        return asker.ExpectMsg<LeaderStatus>();
    }
}
