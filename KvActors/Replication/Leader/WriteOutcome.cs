namespace KvActors.Replication.Leader;

/// <summary>How a client write ended: what the HTTP facade turns into a status code.</summary>
public abstract record WriteOutcome
{
    private WriteOutcome()
    {
    }

    /// <summary>The key the write named.</summary>
    public abstract string Key { get; init; }

    /// <summary>
    /// True when this is the outcome of an earlier request with the same <c>Idempotency-Key</c>, not
    /// of a write this request made: the HTTP answer then says so (<c>Idempotent-Replayed: true</c>).
    /// </summary>
    public bool Replayed { get; init; }

    /// <summary>Applied on the leader and acknowledged by W followers: a 200.</summary>
    /// <param name="Key">The key.</param>
    /// <param name="Seq">The write's <c>seq</c>.</param>
    /// <param name="Acks">Acknowledgements when answered: W (answered at the W-th; the rest keep arriving).</param>
    /// <param name="WriteQuorum">W.</param>
    /// <param name="QuorumDelay">
    /// The simulated delay (MIN_DELAY_MS..MAX_DELAY_MS) drawn for the follower whose acknowledgement
    /// was the W-th distinct one, the one that completed the quorum: the part of the write's latency
    /// that was injected on purpose. <see langword="null"/> when W = 0, where no acknowledgement is waited for.
    /// </param>
    public sealed record WriteCommitted(string Key, long Seq, int Acks, int WriteQuorum, TimeSpan? QuorumDelay) : WriteOutcome;

    /// <summary>
    /// Applied on the leader, but fewer than W followers acknowledged within the replication timeout,
    /// or fewer than W can: a 504. Not rolled back; it keeps replicating (as with MySQL semi-sync's
    /// fallback and Redis WAIT, the write is not undone, only its durability is unconfirmed).
    /// </summary>
    /// <param name="Key">The key.</param>
    /// <param name="Seq">The write's <c>seq</c>.</param>
    /// <param name="Acks">Acknowledgements received when answered.</param>
    /// <param name="WriteQuorum">W.</param>
    public sealed record QuorumNotReached(string Key, long Seq, int Acks, int WriteQuorum) : WriteOutcome;

    /// <summary>A delete of a key that does not exist: a 404; nothing changed and no <c>seq</c> was used.</summary>
    /// <param name="Key">The key.</param>
    public sealed record KeyNotFound(string Key) : WriteOutcome;

    /// <summary>
    /// The request's <c>Idempotency-Key</c> was used before for a different request (another method,
    /// key or value): a 422, and nothing changed. Answering the other request's outcome would tell the
    /// client that a write it did not ask for was its own.
    /// </summary>
    /// <param name="Key">The key this request names.</param>
    /// <param name="IdempotencyKey">The reused header value.</param>
    public sealed record IdempotencyKeyReused(string Key, string IdempotencyKey) : WriteOutcome;

    /// <summary>The leader failed to apply the write (a bug): a 500; see the leader's log.</summary>
    /// <param name="Key">The key.</param>
    /// <param name="Error">What went wrong.</param>
    public sealed record WriteFailed(string Key, string Error) : WriteOutcome;
}
