using System.Diagnostics;
using KvPerf.Statistics;

namespace KvPerf.Tests.Statistics;

public sealed class LatencyHistogramSpecs
{
    [Fact]
    public void Percentiles_of_recorded_latencies_are_within_a_tenth_of_a_percent()
    {
        // Arrange: 1, 2, ..., 1000 ms, so the k-th percentile is k·10 ms.
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.RecordMicroseconds(ms * 1000L);
        }

        // Act / Assert: HdrHistogram with 3 significant digits.
        histogram.PercentileMs(50).Should().BeApproximately(500, 0.5);
        histogram.PercentileMs(99).Should().BeApproximately(990, 1);
        histogram.PercentileMs(100).Should().BeApproximately(1000, 1);
        histogram.Count.Should().Be(1000);
    }

    [Fact]
    public void Sub_millisecond_latencies_keep_their_microseconds()
    {
        var histogram = new LatencyHistogram();
        foreach (var us in new long[] { 120, 140, 160, 180, 200 })
        {
            histogram.RecordMicroseconds(us);
        }

        histogram.PercentileMs(50).Should().BeApproximately(0.160, 0.001);
    }

    [Fact]
    public void Summary_gives_writes_per_second_of_the_window_and_counts_errors_apart()
    {
        // Arrange: 250 successful writes of 2 ms in a 5 s window, and 3 failures.
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 250; i++)
        {
            histogram.RecordMicroseconds(2000);
        }

        // Act
        var summary = histogram.Summarize(TimeSpan.FromSeconds(5), errors: 3);

        // Assert
        summary.Writes.Should().Be(250);
        summary.Errors.Should().Be(3);
        summary.WritesPerSecond.Should().Be(50);
        summary.P50Ms.Should().BeApproximately(2, 0.002);
        summary.P99Ms.Should().BeApproximately(2, 0.002);
        summary.MeanMs.Should().BeApproximately(2, 0.002);
    }

    [Fact]
    public void Summary_of_a_window_without_a_success_has_no_latency_rather_than_zero()
    {
        var summary = new LatencyHistogram().Summarize(TimeSpan.FromSeconds(1), errors: 7);

        summary.Writes.Should().Be(0);
        summary.WritesPerSecond.Should().Be(0);
        summary.P50Ms.Should().BeNull();
        summary.P99Ms.Should().BeNull();
        summary.Errors.Should().Be(7);
    }

    [Fact]
    public void Percentile_of_nothing_is_refused()
    {
        var act = () => new LatencyHistogram().PercentileMs(50);

        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Histograms_of_several_clients_add_up_to_one()
    {
        // Arrange: one client saw the fast half, another the slow half.
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (var ms = 1; ms <= 50; ms++)
        {
            fast.RecordMicroseconds(ms * 1000L);
            slow.RecordMicroseconds((ms + 50) * 1000L);
        }

        // Act
        var all = new LatencyHistogram();
        all.Add(fast);
        all.Add(slow);

        // Assert
        all.Count.Should().Be(100);
        all.PercentileMs(50).Should().BeApproximately(50, 0.05);
        all.PercentileMs(99).Should().BeApproximately(99, 0.1);
    }

    [Fact]
    public void Stopwatch_intervals_are_recorded_in_microseconds()
    {
        var histogram = new LatencyHistogram();
        var start = Stopwatch.GetTimestamp();

        histogram.RecordElapsed(start, start + (Stopwatch.Frequency / 400)); // 2.5 ms

        histogram.PercentileMs(50).Should().BeApproximately(2.5, 0.003);
    }

    [Fact]
    public void Latencies_beyond_the_trackable_range_are_clamped_not_thrown()
    {
        var histogram = new LatencyHistogram();

        histogram.RecordMicroseconds(LatencyHistogram.HighestTrackableMicroseconds * 10);
        histogram.RecordMicroseconds(0);

        histogram.Count.Should().Be(2);
        histogram.PercentileMs(100).Should().BeApproximately(60_000, 60);
    }
}
