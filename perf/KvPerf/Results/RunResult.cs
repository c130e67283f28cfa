using KvPerf.Consistency;
using KvPerf.Statistics;

namespace KvPerf.Results;

/// <summary>
/// One run: a fresh cluster with one write quorum and ack mode, its writes and its replicas.
/// </summary>
/// <param name="WriteQuorum">W, the follower acknowledgements each write waited for.</param>
/// <param name="LatencyMs">Successful writes' latency in ms; <see langword="null"/> if none succeeded.</param>
/// <param name="ExpectedMeanMs">MIN + W/(N+1)·(MAX−MIN) in ms: the mean of the W-th of N uniform delays.</param>
/// <param name="BeyondInjectedDelayMs">
/// The successful writes' time beyond the injected delay, in ms: per write its latency minus the
/// simulated delay of the acknowledgement that completed its quorum (the leader's
/// <c>Server-Timing: quorum-delay</c>), summarized. <see langword="null"/> when no answer named that
/// delay (W = 0, or results measured before the leader sent it).
/// </param>
/// <param name="Successes">Writes answered 200.</param>
/// <param name="Failures">Writes that failed; not in <paramref name="LatencyMs"/>.</param>
/// <param name="FailuresByReason">The failures by reason, e.g. <c>{"HTTP 504": 2}</c>.</param>
/// <param name="Consistency">The replicas right after the last answer and after draining.</param>
/// <param name="MachineLoad1m">
/// The machine's 1-minute load average right after the writes (/proc/loadavg), or <see langword="null"/>
/// where there is none: client and six nodes share the cores, so a busy machine shows up as latency.
/// </param>
/// <param name="WriteLatenciesMs">Each write's latency in ms by write number (0 first), <see langword="null"/> where it failed: the raw data behind the summary.</param>
/// <param name="InjectedDelaysMs">
/// Each write's injected delay in ms by write number, as the leader named it, <see langword="null"/>
/// where it failed or named none: with <paramref name="WriteLatenciesMs"/> the raw data behind
/// <paramref name="BeyondInjectedDelayMs"/>. <see langword="null"/> as a whole in results measured before it was kept.
/// </param>
public sealed record RunResult(
    int WriteQuorum,
    LatencySummary? LatencyMs,
    double ExpectedMeanMs,
    LatencySummary? BeyondInjectedDelayMs,
    int Successes,
    int Failures,
    IReadOnlyDictionary<string, int> FailuresByReason,
    ConsistencyResult Consistency,
    double? MachineLoad1m,
    IReadOnlyList<double?> WriteLatenciesMs,
    IReadOnlyList<double?>? InjectedDelaysMs);
