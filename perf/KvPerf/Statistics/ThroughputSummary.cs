namespace KvPerf.Statistics;

/// <summary>
/// What one closed-loop measurement window produced. Latencies are those of successful writes
/// only, in milliseconds (ms), from HdrHistogram; they are <see langword="null"/> when no write
/// succeeded, so a run of failures shows no latency rather than 0 ms.
/// </summary>
/// <param name="Writes">Writes answered successfully within the window.</param>
/// <param name="Errors">Writes that failed within the window (non-200, timeout, transport); never in the latencies.</param>
/// <param name="WritesPerSecond">Successful writes per second of the window.</param>
/// <param name="MeanMs">Mean latency in ms.</param>
/// <param name="P50Ms">Median latency in ms.</param>
/// <param name="P99Ms">99th-percentile latency in ms.</param>
/// <param name="MaxMs">Slowest successful write in ms.</param>
public sealed record ThroughputSummary(
    long Writes,
    long Errors,
    double WritesPerSecond,
    double? MeanMs,
    double? P50Ms,
    double? P99Ms,
    double? MaxMs);
