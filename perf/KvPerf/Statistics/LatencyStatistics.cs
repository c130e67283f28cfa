namespace KvPerf.Statistics;

/// <summary>
/// The statistics the experiment reports: mean and nearest-rank percentiles of latencies in
/// milliseconds (ms), and the mean latency a write quorum should have in theory.
/// </summary>
public static class LatencyStatistics
{
    /// <summary>
    /// The arithmetic mean of <paramref name="values"/> (ms in, ms out).
    /// </summary>
    /// <exception cref="ArgumentException">There are no values: a mean of nothing is not zero.</exception>
    public static double Mean(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("The mean of no values is undefined.", nameof(values));
        }

        return values.Sum() / values.Count;
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest value such that at least
    /// <paramref name="percent"/>% of the values are at or below it. It is always one of the
    /// measured latencies (no interpolation), so a p99 of 100 writes is the 99th slowest-but-one,
    /// a real write someone waited for.
    /// </summary>
    /// <param name="sortedAscending">Latencies in ms, sorted ascending.</param>
    /// <param name="percent">Greater than 0, at most 100.</param>
    public static double Percentile(IReadOnlyList<double> sortedAscending, double percent)
    {
        ArgumentNullException.ThrowIfNull(sortedAscending);
        if (sortedAscending.Count == 0)
        {
            throw new ArgumentException("The percentile of no values is undefined.", nameof(sortedAscending));
        }

        if (percent <= 0 || percent > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile must be in (0, 100].");
        }

        // Rank 1..n; the small epsilon keeps 95% of 100 at rank 95 despite binary rounding.
        var rank = (int)Math.Ceiling((percent / 100.0 * sortedAscending.Count) - 1e-9);
        return sortedAscending[Math.Clamp(rank, 1, sortedAscending.Count) - 1];
    }

    /// <summary>
    /// Summarizes successful writes' latencies (ms), or returns <see langword="null"/> when there
    /// were none, so that a run in which every write failed shows no latency rather than 0 ms.
    /// </summary>
    public static LatencySummary? Summarize(IEnumerable<double> latenciesMs)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        var sorted = latenciesMs.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        return new LatencySummary(
            Count: sorted.Length,
            Mean: Round(Mean(sorted)),
            P50: Round(Percentile(sorted, 50)),
            P95: Round(Percentile(sorted, 95)),
            P99: Round(Percentile(sorted, 99)),
            Min: Round(sorted[0]),
            Max: Round(sorted[^1]));
    }

    /// <summary>
    /// Summarizes the time writes took beyond the delay injected into them: per write, its
    /// client-side latency minus the simulated delay of the acknowledgement that completed its
    /// quorum (what the leader's <c>Server-Timing: quorum-delay</c> names), so what is left is what
    /// the store, the network and the machine cost. Both lists are by write number, in ms; writes
    /// without either (failed, or answered without the header) are left out, and the result is
    /// <see langword="null"/> when none is left. A negative difference is kept: the leader's delays
    /// run on .NET timers, which count time on a coarse millisecond clock and can fire a few ms
    /// early, so a write that cost almost nothing else can come out just below its delay, and
    /// dropping it would bias the figures upwards.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, so they cannot be by write number both.</exception>
    public static LatencySummary? SummarizeBeyondInjectedDelay(IReadOnlyList<double?> latenciesMs, IReadOnlyList<double?> injectedDelaysMs)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        ArgumentNullException.ThrowIfNull(injectedDelaysMs);
        if (latenciesMs.Count != injectedDelaysMs.Count)
        {
            throw new ArgumentException(
                $"{latenciesMs.Count} latencies but {injectedDelaysMs.Count} injected delays: both must be by write number.", nameof(injectedDelaysMs));
        }

        return Summarize(latenciesMs
            .Zip(injectedDelaysMs, (latency, delay) => latency - delay)
            .OfType<double>());
    }

    /// <summary>
    /// The mean latency, in ms, that a write waiting for <paramref name="writeQuorum"/> of
    /// <paramref name="followers"/> acknowledgements should see when each follower's delay is
    /// drawn uniformly from [<paramref name="minDelayMs"/>, <paramref name="maxDelayMs"/>]:
    /// the W-th smallest of N uniform draws has mean MIN + W/(N+1)·(MAX−MIN). It leaves out
    /// everything but the simulated delay (HTTP, serialization, queueing), which is why the
    /// measurement sits above it.
    /// </summary>
    public static double ExpectedMeanMs(int writeQuorum, int followers, double minDelayMs, double maxDelayMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(writeQuorum);
        ArgumentOutOfRangeException.ThrowIfLessThan(followers, writeQuorum);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minDelayMs, maxDelayMs);
        return minDelayMs + (writeQuorum / (followers + 1.0) * (maxDelayMs - minDelayMs));
    }

    private static double Round(double ms) => Math.Round(ms, 2, MidpointRounding.AwayFromZero);
}
