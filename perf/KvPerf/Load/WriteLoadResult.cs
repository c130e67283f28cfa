namespace KvPerf.Load;

/// <summary>
/// What one run's writes produced, as the client timed them.
/// </summary>
/// <param name="LatenciesMs">Successful writes' client-side latencies in ms, in completion order.</param>
/// <param name="LatenciesByWrite">Every write's latency in ms by write number (the order sent); <see langword="null"/> where it failed.</param>
/// <param name="InjectedDelaysByWrite">
/// Every write's injected delay in ms by write number: the simulated delay of the acknowledgement that
/// completed its quorum, from the leader's <c>Server-Timing</c>; <see langword="null"/> where the write
/// failed or its answer named none.
/// </param>
/// <param name="FailuresByReason">Failed writes counted by reason (<c>HTTP 504</c>, ...): never averaged in.</param>
/// <param name="AnsweredWriteQuorums">The distinct writeQuorum values the leader's answers carried.</param>
/// <param name="LastAnswerTimestamp"><see cref="System.Diagnostics.Stopwatch"/> timestamp of the last answer, success or not.</param>
public sealed record WriteLoadResult(
    IReadOnlyList<double> LatenciesMs,
    IReadOnlyList<double?> LatenciesByWrite,
    IReadOnlyList<double?> InjectedDelaysByWrite,
    IReadOnlyDictionary<string, int> FailuresByReason,
    IReadOnlySet<int> AnsweredWriteQuorums,
    long LastAnswerTimestamp)
{
    /// <summary>How many writes failed, whatever the reason.</summary>
    public int Failures => FailuresByReason.Values.Sum();
}
