using KvPerf.Statistics;

namespace KvPerf.Bench;

/// <summary>
/// What one closed-loop case measured.
/// </summary>
/// <param name="Latencies">Successful writes answered inside the window, in µs.</param>
/// <param name="ErrorsByReason">Failed writes answered inside the window, by reason (<c>HTTP 504</c>, ...).</param>
/// <param name="Sent">Every write sent, warm-up and stragglers included: how much load the system took in all.</param>
/// <param name="Window">The measurement window.</param>
public sealed record DriverResult(
    LatencyHistogram Latencies,
    IReadOnlyDictionary<string, long> ErrorsByReason,
    long Sent,
    TimeSpan Window)
{
    /// <summary>Failed writes inside the window, whatever the reason.</summary>
    public long Errors => ErrorsByReason.Values.Sum();

    /// <summary>Writes/s and latency percentiles of the window.</summary>
    public ThroughputSummary Summarize() => Latencies.Summarize(Window, Errors);
}
