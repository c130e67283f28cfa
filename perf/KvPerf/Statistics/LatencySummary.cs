namespace KvPerf.Statistics;

/// <summary>
/// The client-side latency of one run's successful writes, in milliseconds (ms), rounded to
/// 0.01 ms. Failed writes are never part of it: they are counted apart so that a 504 after the
/// replication timeout cannot pass for a slow success.
/// </summary>
/// <param name="Count">How many successful writes the figures summarize.</param>
/// <param name="Mean">Arithmetic mean in ms.</param>
/// <param name="P50">Median (nearest-rank 50th percentile) in ms.</param>
/// <param name="P95">Nearest-rank 95th percentile in ms.</param>
/// <param name="P99">Nearest-rank 99th percentile in ms.</param>
/// <param name="Min">Fastest write in ms.</param>
/// <param name="Max">Slowest write in ms.</param>
public sealed record LatencySummary(
    int Count,
    double Mean,
    double P50,
    double P95,
    double P99,
    double Min,
    double Max);
