namespace KvActors.Store;

/// <summary>
/// What the store actor publishes for readers outside its mailbox: the latest immutable
/// <see cref="StoreSnapshot"/> and, on a follower, how many entries wait and for which epoch; and a
/// way for a reader to wait, without a thread, until the published state reaches a <c>seq</c>.
/// </summary>
/// <remarks>
/// <para>Written only by the store actor after each change, read from request threads and the catch-up:
/// hence Volatile on both sides. Reads therefore never queue behind writes, and always see a state
/// at one <c>seq</c>. A reader may see the snapshot and the counts of two neighbouring changes;
/// the counts are for monitoring and for deciding when to catch up, where that is harmless.</para>
/// <para>Waiting (<see cref="WaitForAsync"/>) is a read-your-writes read: the client names the
/// <c>seq</c> its write got and asks for a state at least that new, as MySQL's
/// <c>WAIT_FOR_EXECUTED_GTID_SET</c>, PostgreSQL's wait for a replay LSN and MongoDB's
/// <c>afterClusterTime</c> do. Waiters share one signal, a task that the next publication completes
/// and replaces: each waiter then re-reads the state and waits again if it is still behind. No
/// thread blocks and nothing polls; the cost is one wake-up per waiter per publication, and while
/// nobody waits a publication allocates nothing.</para>
/// </remarks>
public sealed class StoreView
{
    private StoreSnapshot _current = StoreSnapshot.Empty(0);
    private int _waitingCount;
    private long _pendingEpoch;

    // Null while nobody waits. A waiter installs it before it reads _current; Publish writes _current
    // before it takes it out and completes it. Both steps are full fences (Interlocked), so a waiter
    // that read a state older than a publication holds a signal that publication completes: no
    // wake-up is lost.
    private TaskCompletionSource? _nextPublication;

    // The catch-up's own signal, completed only when entries start to be held back or the pending
    // epoch changes: an idle follower's catch-up sleeps on it instead of looking every tick, and
    // under load, when most publications change neither, it is not woken for each write.
    private TaskCompletionSource? _heldBackChange;

    /// <summary>The latest published state; never torn.</summary>
    public StoreSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Follower: entries held back behind a gap or pending a newer epoch's snapshot (for <c>/status</c>).</summary>
    public int HeldBackCount => Volatile.Read(ref _waitingCount);

    /// <summary>
    /// Follower: the newer leader epoch whose entries wait for a resync, or 0. Non-zero means the
    /// catch-up should fetch a snapshot now.
    /// </summary>
    public long PendingEpoch => Volatile.Read(ref _pendingEpoch);

    /// <summary>
    /// The first published state whose <see cref="StoreSnapshot.AppliedSeq"/> is at least
    /// <paramref name="minSeq"/>, or, once <paramref name="timeout"/> has passed without one, the
    /// latest state (still behind: the caller compares its <c>AppliedSeq</c> with
    /// <paramref name="minSeq"/>). Completes at once when the current state is new enough.
    /// </summary>
    /// <param name="minSeq">The <c>seq</c> the state must have reached, 0 or more (0 is always reached).</param>
    /// <param name="timeout">How long to wait at most; <see cref="TimeSpan.Zero"/> only looks.</param>
    /// <param name="time">The clock that measures <paramref name="timeout"/>.</param>
    /// <param name="cancellationToken">The request's abort: the wait then ends with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>A state at <paramref name="minSeq"/> or later, or the latest when the wait timed out.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<StoreSnapshot> WaitForAsync(long minSeq, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minSeq);
        ArgumentNullException.ThrowIfNull(time);
        var current = Current;
        if (current.AppliedSeq >= minSeq)
        {
            return current;
        }

        using var bound = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken);
        while (true)
        {
            var signal = NextPublication();
            current = Current;
            if (current.AppliedSeq >= minSeq)
            {
                return current;
            }

            try
            {
                await signal.WaitAsync(either.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The bound, not the client: answer with what there is.
                return Current;
            }
        }
    }

    /// <summary>Publishes a change; called by the store actor only.</summary>
    /// <param name="current">The new state.</param>
    /// <param name="waitingCount">Entries waiting after it.</param>
    /// <param name="pendingEpoch">The epoch they wait for, or 0.</param>
    internal void Publish(StoreSnapshot current, int waitingCount = 0, long pendingEpoch = 0)
    {
        var heldBackChanged = (waitingCount != 0 && _waitingCount == 0) || pendingEpoch != _pendingEpoch;
        Volatile.Write(ref _waitingCount, waitingCount);
        Volatile.Write(ref _pendingEpoch, pendingEpoch);
        Volatile.Write(ref _current, current);

        // RunContinuationsAsynchronously: the waiters' continuations run on the thread pool, never
        // inside the store actor's message handler.
        Interlocked.Exchange(ref _nextPublication, null)?.TrySetResult();
        if (heldBackChanged)
        {
            Interlocked.Exchange(ref _heldBackChange, null)?.TrySetResult();
        }
    }

    /// <summary>
    /// Completes at the next publication in which entries start to be held back (<see cref="HeldBackCount"/>
    /// leaves 0) or <see cref="PendingEpoch"/> changes: the catch-up's wake-up. Take it before reading
    /// those two, as <see cref="WaitForAsync"/> does with its signal, and no change is missed.
    /// </summary>
    /// <returns>A task that completes (never faults) at that publication; its continuations run on the thread pool.</returns>
    public Task NextHeldBackChange() => Signal(ref _heldBackChange);

    private Task NextPublication() => Signal(ref _nextPublication);

    private static Task Signal(ref TaskCompletionSource? slot)
    {
        var signal = Volatile.Read(ref slot);
        if (signal is null)
        {
            var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal = Interlocked.CompareExchange(ref slot, fresh, null) ?? fresh;
        }

        return signal.Task;
    }
}
