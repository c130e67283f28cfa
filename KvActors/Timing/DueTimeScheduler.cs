using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace KvActors.Timing;

/// <summary>
/// Akka's scheduler (every <c>Timers.Start…</c>, <c>ScheduleTellOnce</c>, Ask timeout and
/// Akka.Remote heartbeat) that wakes only when something is due, chosen by
/// <c>akka.scheduler.implementation</c> in <c>akka.hocon</c>. Like Akka's
/// <c>HashedWheelTimerScheduler</c> it groups what it holds into slots of
/// <c>akka.scheduler.tick-duration</c> (a timer runs at the end of the slot its delay ends in: never
/// early, at most one slot late); unlike the wheel, it does not tick through empty slots. One .NET
/// timer is armed for the earliest slot that holds anything.
/// </summary>
/// <remarks>
/// <para>Why: the wheel's clock ticks whether or not anything is due, and each tick wakes a
/// thread-pool worker. Six idle local nodes used 2.60% of a core with the wheel and 2.10% with
/// this (README "Performance"). A .NET timer per scheduled item sleeps as well, but every write
/// schedules two (its replication timeout and its resend) and cancels them when it is answered,
/// and that cost 11-13% of the writes/s at 64 clients. Here scheduling is a dictionary insert
/// under a short lock, and the one timer is re-armed only when a new slot is earlier than every
/// other.</para>
/// <para>A cancelled item is skipped when its slot is due, as on the wheel, and swept out earlier
/// whenever the items held have doubled since the last sweep (amortized constant time per item):
/// held until due, the cancelled timers of finished writes (a replication timeout and a resend
/// each) kept 43,000 stopped write trackers alive on a leader that had just taken 87,000 writes.
/// An action that throws is logged at Error; a repeated one keeps its schedule. After
/// <see cref="Dispose"/> (the actor system has terminated) nothing more runs and new items are dropped.</para>
/// </remarks>
public sealed class DueTimeScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    private const int MinSweepAt = 1024;

    // The clocks count from here (Akka's own monotonic clock is internal to it).
    private static readonly long Origin = Stopwatch.GetTimestamp();

    private readonly long _slotTicks;
    private readonly object _gate = new();
    private readonly Dictionary<long, List<Registration>> _slots = [];
    private readonly PriorityQueue<long, long> _slotOrder = new();
    private readonly ITimer _timer;
    private long _armedSlot = long.MaxValue;

    // Items in the slots, cancelled ones included, and the count at which the next sweep runs.
    private int _held;
    private int _sweepAt = MinSweepAt;
    private bool _stopped;

    /// <summary>Created by the actor system from <c>akka.scheduler.implementation</c>.</summary>
    /// <param name="scheduler">The system's configuration: <c>akka.scheduler.tick-duration</c> is the slot (at least 1 ms).</param>
    /// <param name="log">Where an action that throws is reported.</param>
    /// <exception cref="ConfigurationException"><c>akka.scheduler.tick-duration</c> is under 1 ms.</exception>
    public DueTimeScheduler(Config scheduler, ILoggingAdapter log)
        : base(scheduler, log)
    {
        var slot = SchedulerConfig.GetTimeSpan("akka.scheduler.tick-duration", TimeSpan.FromMilliseconds(100));
        if (slot < TimeSpan.FromMilliseconds(1))
        {
            throw new ConfigurationException($"akka.scheduler.tick-duration must be at least 1 ms, not {slot}");
        }

        _slotTicks = (long)(slot.TotalSeconds * Stopwatch.Frequency);

        // Not flowing the creator's ExecutionContext into the timer's callbacks.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = TimeProvider.System.CreateTimer(static state => ((DueTimeScheduler)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc/>
    public override TimeSpan MonotonicClock => Stopwatch.GetElapsedTime(Origin);

    /// <inheritdoc/>
    public override TimeSpan HighResMonotonicClock => MonotonicClock;

    /// <inheritdoc/>
    protected override DateTimeOffset TimeNow => DateTimeOffset.UtcNow;

    /// <summary>Stops: nothing due after this runs. Called once the actor system has terminated.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            _held = 0;
            _slots.Clear();
            _slotOrder.Clear();
        }

        _timer.Dispose();
    }

    /// <inheritdoc/>
    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(delay, TimeSpan.Zero, new Tell(receiver, message, sender), cancelable);

    /// <inheritdoc/>
    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(initialDelay, interval, new Tell(receiver, message, sender), cancelable);

    /// <inheritdoc/>
    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Schedule(delay, TimeSpan.Zero, new ActionRunnable(action), cancelable);

    /// <inheritdoc/>
    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Schedule(delay, TimeSpan.Zero, action, cancelable);

    /// <inheritdoc/>
    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, new ActionRunnable(action), cancelable);

    /// <inheritdoc/>
    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, action, cancelable);

    private void Schedule(TimeSpan delay, TimeSpan interval, IRunnable action, ICancelable? cancelable)
    {
        if (cancelable?.IsCancellationRequested == true)
        {
            return;
        }

        Add(new Registration(action, cancelable, interval), Now(), delay);
    }

    private static long Now() => Stopwatch.GetTimestamp() - Origin;

    private void Add(Registration registration, long from, TimeSpan delay)
    {
        var delayTicks = delay <= TimeSpan.Zero ? 0 : (long)Math.Min(delay.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);

        // The end of the slot the delay ends in: never before the delay.
        var slot = ((from + delayTicks) / _slotTicks) + 1;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            if (!_slots.TryGetValue(slot, out var due))
            {
                due = [];
                _slots[slot] = due;
                _slotOrder.Enqueue(slot, slot);
            }

            due.Add(registration);
            if (++_held >= _sweepAt)
            {
                Sweep();
            }

            if (slot < _armedSlot)
            {
                Arm(slot);
            }
        }
    }

    // Under _gate. A slot left empty stays in _slotOrder; Fire skips it when it comes due.
    private void Sweep()
    {
        List<long>? emptied = null;
        foreach (var (slot, due) in _slots)
        {
            _held -= due.RemoveAll(r => r.Cancelable?.IsCancellationRequested == true);
            if (due.Count == 0)
            {
                (emptied ??= []).Add(slot);
            }
        }

        foreach (var slot in emptied ?? [])
        {
            _slots.Remove(slot);
        }

        _sweepAt = Math.Max(MinSweepAt, 2 * _held);
    }

    // Under _gate.
    private void Arm(long slot)
    {
        _armedSlot = slot;
        var wait = Stopwatch.GetElapsedTime(Now(), slot * _slotTicks);

        // Whole milliseconds rounded up: the timer queue fires on a coarse clock, and an early
        // firing finds its slot not yet due and arms again for what is left. A timer takes at
        // most 2^32 - 2 ms (49.7 days); a later slot is armed for that, and again from there.
        var ms = wait <= TimeSpan.Zero ? 0 : Math.Min(Math.Ceiling(wait.TotalMilliseconds), uint.MaxValue - 1.0);
        _timer.Change(TimeSpan.FromMilliseconds(ms), Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        List<Registration>? ready = null;
        var now = Now();
        lock (_gate)
        {
            _armedSlot = long.MaxValue;
            if (_stopped)
            {
                return;
            }

            while (_slotOrder.TryPeek(out var slot, out _) && slot * _slotTicks <= now)
            {
                _slotOrder.Dequeue();
                if (_slots.Remove(slot, out var due))
                {
                    _held -= due.Count;
                    (ready ??= []).AddRange(due);
                }
            }

            if (_slotOrder.TryPeek(out var next, out _))
            {
                Arm(next);
            }
        }

        if (ready is null)
        {
            return;
        }

        foreach (var registration in ready)
        {
            if (registration.Cancelable?.IsCancellationRequested == true)
            {
                continue;
            }

            try
            {
                registration.Action.Run();
            }
            catch (Exception ex)
            {
                Log.Error(ex, "A scheduled action failed: {0}", registration.Action);
            }

            if (registration.Interval > TimeSpan.Zero && registration.Cancelable?.IsCancellationRequested != true)
            {
                Add(registration, now, registration.Interval);
            }
        }
    }

    private sealed record Registration(IRunnable Action, ICancelable? Cancelable, TimeSpan Interval);

    private sealed class Tell(ICanTell receiver, object message, IActorRef sender) : IRunnable
    {
        public void Run() => receiver.Tell(message, sender);

        public void Execute() => Run();

        public override string ToString() => $"[{receiver}.Tell({message}, {sender})]";
    }
}
