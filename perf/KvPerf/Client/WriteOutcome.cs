namespace KvPerf.Client;

/// <summary>
/// How one timed write ended, as the client saw it.
/// </summary>
/// <param name="LatencyMs">Client-side time from sending the request to reading the whole answer, in ms.</param>
/// <param name="Answer">The leader's answer on success; <see langword="null"/> on failure.</param>
/// <param name="Failure">Why it failed (<c>HTTP 504</c>, <c>timeout</c>, ...); <see langword="null"/> on success.</param>
public sealed record WriteOutcome(double LatencyMs, WriteAnswer? Answer, string? Failure)
{
    /// <summary>Whether the leader answered 200 with a well-formed body.</summary>
    public bool Succeeded => Answer is not null;
}
