using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using KvActors.Timing;

namespace KvHost.Tests.Timing;

/// <summary>
/// The nodes' Akka scheduler, in a real actor system with the nodes' own <c>akka.hocon</c>: an
/// action never runs before its delay and at most a slot (100 ms) plus scheduling noise after it;
/// a cancelled one never runs; a repeated one repeats until cancelled, also when it throws; nothing
/// runs once the system has stopped.
/// </summary>
public sealed class DueTimeSchedulerSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config LocalNode =
        ConfigurationFactory.ParseString("akka.actor.provider = local").WithFallback(KvHost.Hosting.KvNode.AkkaConfig);

    public DueTimeSchedulerSpecs()
        : base(LocalNode)
    {
    }

    [Fact]
    public void The_nodes_akka_hocon_chooses_it()
    {
        Sys.Scheduler.Should().BeOfType<DueTimeScheduler>();
    }

    [Fact]
    public void A_scheduled_action_runs_once_never_before_its_delay()
    {
        // Many, timed where they run: .NET's timer queue counts on a coarse clock and may fire a
        // few ms early, which message delivery would hide.
        const int count = 200;
        var late = new TimeSpan[count];
        var runs = new int[count];
        for (var i = 0; i < count; i++)
        {
            var delay = TimeSpan.FromMilliseconds(i % 250);
            var scheduled = Stopwatch.GetTimestamp();
            var index = i;
            Sys.Scheduler.Advanced.ScheduleOnce(delay, () =>
            {
                late[index] = Stopwatch.GetElapsedTime(scheduled) - delay;
                Interlocked.Increment(ref runs[index]);
            });
        }

        AwaitCondition(() => Enumerable.Range(0, count).All(i => Volatile.Read(ref runs[i]) >= 1), TimeSpan.FromSeconds(10));
        Thread.Sleep(300);
        runs.Should().OnlyContain(r => r == 1, "each runs once");
        late.Min().Should().BeGreaterThanOrEqualTo(TimeSpan.Zero, "none may run before its delay");
    }

    [Fact]
    public void A_delay_beyond_what_a_dotnet_timer_takes_waits_and_does_not_stop_the_others()
    {
        // 60 days: more than a .NET timer's 49.7; it must neither throw nor run now.
        var ran = 0;
        var far = Sys.Scheduler.Advanced.ScheduleOnceCancelable(TimeSpan.FromDays(60), () => Interlocked.Increment(ref ran));
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "near", ActorRefs.NoSender);

        ExpectMsg("near", TimeSpan.FromSeconds(10));
        Volatile.Read(ref ran).Should().Be(0);
        far.Cancel();
    }

    [Fact]
    public void A_scheduled_message_arrives_once()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "once", ActorRefs.NoSender);

        ExpectMsg("once", TimeSpan.FromSeconds(10));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_cancelled_message_never_arrives()
    {
        var cancelled = Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromMilliseconds(100), TestActor, "cancelled", ActorRefs.NoSender);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(300), TestActor, "kept", ActorRefs.NoSender);

        cancelled.Cancel();

        ExpectMsg("kept", TimeSpan.FromSeconds(10));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Cancelled_items_do_not_keep_what_they_would_have_sent_alive_until_their_slot()
    {
        // Arrange: a write's timers hold its tracker; here each holds a message instead.
        var probe = CreateTestProbe();
        var messages = Enumerable.Range(0, 5_000).Select(_ => ScheduleAndCancel(probe.Ref)).ToList();

        // Act: enough new items to reach a sweep, then a full collection.
        for (var i = 0; i < 5_000; i++)
        {
            Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromHours(1), probe.Ref, "later", ActorRefs.NoSender);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Assert
        messages.Count(m => m.IsAlive).Should().Be(0, "an hour before their slot, the cancelled items are gone");
    }

    // In a method of its own, so that no local of the spec keeps the last message alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private WeakReference ScheduleAndCancel(IActorRef to)
    {
        var message = new object();
        Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromHours(1), to, message, ActorRefs.NoSender).Cancel();
        return new WeakReference(message);
    }

    [Fact]
    public void A_repeated_message_repeats_until_cancelled()
    {
        var repeated = Sys.Scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TestActor, "tick", ActorRefs.NoSender);

        ExpectMsg("tick", TimeSpan.FromSeconds(10));
        ExpectMsg("tick", TimeSpan.FromSeconds(10));
        ExpectMsg("tick", TimeSpan.FromSeconds(10));
        repeated.Cancel();

        // One tick may already be on its way when Cancel runs; after that, silence.
        ReceiveWhile(TimeSpan.FromMilliseconds(300), o => o);
        ExpectNoMsg(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void A_repeated_action_that_throws_keeps_its_schedule()
    {
        var runs = 0;
        var repeated = Sys.Scheduler.Advanced.ScheduleRepeatedlyCancelable(
            TimeSpan.Zero,
            TimeSpan.FromMilliseconds(50),
            () =>
            {
                Interlocked.Increment(ref runs);
                throw new InvalidOperationException("a failing scheduled action");
            });

        AwaitCondition(() => Volatile.Read(ref runs) >= 3, TimeSpan.FromSeconds(10));
        repeated.Cancel();
    }

    [Fact]
    public async Task Nothing_runs_once_the_actor_system_has_stopped()
    {
        var system = ActorSystem.Create("stopping", LocalNode);
        var probe = CreateTestProbe();
        var ran = 0;
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(300), () => Interlocked.Increment(ref ran));
        system.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50), probe, "tick", ActorRefs.NoSender);

        await system.Terminate();
        await Task.Delay(600);

        Volatile.Read(ref ran).Should().Be(0);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
