namespace KvHost.Api;

/// <summary>
/// The cap on client writes in flight on the leader (<c>MAX_WRITES_IN_FLIGHT</c>): a write past it is
/// answered 503 at once instead of queueing. The actors' mailboxes are unbounded, as Akka's are by
/// default (a bounded one would block or drop messages between actors), so the edge is where load
/// is refused: clients learn of overload from a 503 with <c>Retry-After</c>, not from a timeout.
/// </summary>
/// <param name="capacity">How many writes may wait for their quorum at once, at least 1.</param>
public sealed class WriteAdmission(int capacity)
{
    private int _inFlight;

    /// <summary>The cap.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Takes a place for one write; thread-safe.</summary>
    /// <returns>True when the write may go on (the caller must <see cref="Leave"/>), false when the cap is reached.</returns>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= Capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>Gives back the place of a write that has been answered.</summary>
    public void Leave() => Interlocked.Decrement(ref _inFlight);
}
