namespace KvPerf.Client;

/// <summary>
/// How one timed write ended, as the client saw it.
/// </summary>
/// <param name="LatencyMs">Client-side time from sending the request to reading the whole answer, in ms.</param>
/// <param name="Answer">The leader's answer on success; <see langword="null"/> on failure.</param>
/// <param name="Failure">Why it failed (<c>HTTP 504</c>, <c>timeout</c>, ...); <see langword="null"/> on success.</param>
/// <param name="QuorumDelayMs">
/// On success, the simulated delay in ms of the acknowledgement that completed the quorum, from the
/// leader's <c>Server-Timing: quorum-delay</c>; <see langword="null"/> when the answer carried none
/// (W = 0, or a leader that does not send it) and on failure.
/// </param>
public sealed record WriteOutcome(double LatencyMs, WriteAnswer? Answer, string? Failure, double? QuorumDelayMs = null)
{
    /// <summary>Whether the leader answered 200 with a well-formed body.</summary>
    public bool Succeeded => Answer is not null;
}
