using System.Diagnostics;
using HdrHistogram;

namespace KvPerf.Statistics;

/// <summary>
/// The benchmark's latencies: successful writes recorded in microseconds (µs) into an HdrHistogram
/// (3 significant digits, so any percentile is within 0.1% of the recorded value), one per
/// client so that recording takes no lock, merged with <see cref="Add"/> once the clients stop.
/// Not thread-safe: one writer at a time.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>
    /// The largest latency the histogram tells apart, 60 s in µs: far beyond every client
    /// timeout, so a longer one (clamped to it) can only come from a stalled machine.
    /// </summary>
    public const long HighestTrackableMicroseconds = 60_000_000;

    private const int SignificantDigits = 3;

    private readonly LongHistogram _histogram = new(HighestTrackableMicroseconds, SignificantDigits);

    /// <summary>How many latencies were recorded.</summary>
    public long Count => _histogram.TotalCount;

    /// <summary>
    /// Records one latency given as a <see cref="Stopwatch"/> interval (ticks of
    /// <see cref="Stopwatch.Frequency"/>), rounded to the nearest µs and at least 1 µs.
    /// </summary>
    public void RecordElapsed(long startTimestamp, long endTimestamp) =>
        RecordMicroseconds((long)Math.Round((endTimestamp - startTimestamp) * 1_000_000.0 / Stopwatch.Frequency));

    /// <summary>Records one latency in µs; values outside 1 µs..60 s are clamped to that range.</summary>
    public void RecordMicroseconds(long microseconds) =>
        _histogram.RecordValue(Math.Clamp(microseconds, 1, HighestTrackableMicroseconds));

    /// <summary>Adds every latency <paramref name="other"/> recorded to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _histogram.Add(other._histogram);
    }

    /// <summary>
    /// The latency in ms at <paramref name="percentile"/> (0..100): the highest value equivalent to
    /// the recorded one at that rank, HdrHistogram's definition.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing was recorded: a percentile of nothing is not 0 ms.</exception>
    public double PercentileMs(double percentile)
    {
        EnsureNotEmpty();
        return ToMs(_histogram.GetValueAtPercentile(percentile));
    }

    /// <summary>
    /// Summarizes a measurement window of <paramref name="window"/> in which these writes
    /// succeeded and <paramref name="errors"/> failed: writes/s counts successes only.
    /// </summary>
    public ThroughputSummary Summarize(TimeSpan window, long errors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(errors);
        var writesPerSecond = Math.Round(Count / window.TotalSeconds, 1);
        if (Count == 0)
        {
            return new ThroughputSummary(0, errors, writesPerSecond, null, null, null, null);
        }

        return new ThroughputSummary(
            Count,
            errors,
            writesPerSecond,
            MeanMs: Math.Round(_histogram.GetMean() / 1000.0, 3),
            P50Ms: PercentileMs(50),
            P99Ms: PercentileMs(99),
            MaxMs: ToMs(_histogram.GetMaxValue()));
    }

    private void EnsureNotEmpty()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("No latency was recorded.");
        }
    }

    private static double ToMs(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}
