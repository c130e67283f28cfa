namespace KvActors.Store;

/// <summary>How a follower answers one replicated entry.</summary>
public abstract record ReplicateOutcome
{
    private ReplicateOutcome()
    {
    }

    /// <summary>The <c>seq</c> of the entry this answers.</summary>
    public abstract long Seq { get; init; }

    /// <summary>
    /// The entry is acknowledged (on receipt or on apply, per the follower's ack mode). A duplicate is
    /// acknowledged again without being applied twice, so a leader's resend is harmless.
    /// </summary>
    /// <param name="Seq">The acknowledged entry's <c>seq</c>.</param>
    /// <param name="AppliedSeq">The follower's applied <c>seq</c> when it answered.</param>
    public sealed record Acknowledged(long Seq, long AppliedSeq) : ReplicateOutcome;

    /// <summary>Refused, state unchanged: the entry comes from an older leader epoch than one already seen.</summary>
    /// <param name="Seq">The refused entry's <c>seq</c>.</param>
    /// <param name="CurrentEpoch">The follower's epoch.</param>
    public sealed record StaleEpoch(long Seq, long CurrentEpoch) : ReplicateOutcome;

    /// <summary>
    /// Refused, state unchanged: the entry is so far ahead of the applied <c>seq</c> that holding it
    /// back would let a buggy or hostile sender fill the follower's memory.
    /// </summary>
    /// <param name="Seq">The refused entry's <c>seq</c>.</param>
    /// <param name="AppliedSeq">The follower's applied <c>seq</c>.</param>
    /// <param name="MaxAhead">How far past it an entry may be held back.</param>
    public sealed record TooFarAhead(long Seq, long AppliedSeq, long MaxAhead) : ReplicateOutcome;
}
