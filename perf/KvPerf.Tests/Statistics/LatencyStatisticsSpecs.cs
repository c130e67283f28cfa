using KvPerf.Statistics;

namespace KvPerf.Tests.Statistics;

public sealed class LatencyStatisticsSpecs
{
    [Fact]
    public void Percentile_of_sorted_latencies_uses_nearest_rank()
    {
        // Arrange: 1, 2, ..., 100 ms, so the k-th percentile is the k-th value.
        var latencies = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        // Act / Assert
        LatencyStatistics.Percentile(latencies, 50).Should().Be(50);
        LatencyStatistics.Percentile(latencies, 95).Should().Be(95);
        LatencyStatistics.Percentile(latencies, 99).Should().Be(99);
        LatencyStatistics.Percentile(latencies, 100).Should().Be(100);
    }

    [Fact]
    public void Percentile_rounds_the_rank_up_and_never_interpolates()
    {
        // Ten values: p95 has rank ceil(9.5) = 10, p50 rank 5, p1 rank 1.
        double[] latencies = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

        LatencyStatistics.Percentile(latencies, 95).Should().Be(100);
        LatencyStatistics.Percentile(latencies, 50).Should().Be(50);
        LatencyStatistics.Percentile(latencies, 51).Should().Be(60);
        LatencyStatistics.Percentile(latencies, 1).Should().Be(10);
    }

    [Fact]
    public void Percentile_of_no_latencies_is_refused()
    {
        var act = () => LatencyStatistics.Percentile([], 50);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Mean_is_the_arithmetic_mean_in_ms()
    {
        LatencyStatistics.Mean([100, 200, 600]).Should().Be(300);
    }

    [Fact]
    public void Mean_of_no_latencies_is_refused_rather_than_zero()
    {
        var act = () => LatencyStatistics.Mean([]);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Summary_sorts_the_latencies_before_taking_percentiles()
    {
        // Arrange: completion order is not latency order.
        double[] latencies = [700, 100, 400, 1000, 200, 900, 300, 600, 500, 800];

        // Act
        var summary = LatencyStatistics.Summarize(latencies);

        // Assert
        summary.Should().Be(new LatencySummary(Count: 10, Mean: 550, P50: 500, P95: 1000, P99: 1000, Min: 100, Max: 1000));
    }

    [Fact]
    public void Summary_rounds_to_hundredths_of_a_ms()
    {
        var summary = LatencyStatistics.Summarize([1.0, 2.0, 2.0])!;

        summary.Mean.Should().Be(1.67);
    }

    [Fact]
    public void Summary_of_no_successful_writes_is_null_not_zero_ms()
    {
        LatencyStatistics.Summarize([]).Should().BeNull();
    }

    [Fact]
    public void Time_beyond_the_injected_delay_is_each_writes_latency_minus_its_delay_summarized_by_write()
    {
        // Arrange: by write number; write 2 failed, write 4 answered without a Server-Timing delay.
        double?[] latencies = [110, 250, null, 530, 999, 1020];
        double?[] delays = [100, 230, null, 500, null, 1000];

        // Act
        var beyond = LatencyStatistics.SummarizeBeyondInjectedDelay(latencies, delays);

        // Assert: 10, 20, 30, 20 ms; nearest-rank p50 of four is the 2nd, p99 the 4th.
        beyond.Should().Be(new LatencySummary(Count: 4, Mean: 20, P50: 20, P95: 30, P99: 30, Min: 10, Max: 30));
    }

    [Fact]
    public void Time_beyond_the_injected_delay_keeps_a_write_that_came_out_below_its_delay()
    {
        // A timer that fired a ms early: hiding the write would bias the figures upwards.
        var beyond = LatencyStatistics.SummarizeBeyondInjectedDelay([199.5, 260], [200, 200])!;

        beyond.Min.Should().Be(-0.5);
        beyond.Mean.Should().Be(29.75);
    }

    [Fact]
    public void Time_beyond_the_injected_delay_is_null_when_no_answer_named_a_delay()
    {
        LatencyStatistics.SummarizeBeyondInjectedDelay([120, 130], [null, null]).Should().BeNull();
    }

    [Fact]
    public void Time_beyond_the_injected_delay_refuses_lists_that_cannot_both_be_by_write_number()
    {
        var act = () => LatencyStatistics.SummarizeBeyondInjectedDelay([120, 130], [100]);

        act.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(1, 166.67)]
    [InlineData(2, 333.33)]
    [InlineData(3, 500.00)]
    [InlineData(4, 666.67)]
    [InlineData(5, 833.33)]
    public void Expected_mean_for_W_of_5_followers_with_delays_0_to_1000_ms_is_W_sixths_of_a_second(int w, double expectedMs)
    {
        LatencyStatistics.ExpectedMeanMs(w, followers: 5, minDelayMs: 0, maxDelayMs: 1000)
            .Should().BeApproximately(expectedMs, 0.01);
    }

    [Fact]
    public void Expected_mean_starts_at_the_minimum_delay_and_scales_with_the_delay_range()
    {
        // MIN + W/(N+1)·(MAX−MIN) = 100 + 2/6 · 300 = 200 ms.
        LatencyStatistics.ExpectedMeanMs(2, followers: 5, minDelayMs: 100, maxDelayMs: 400).Should().BeApproximately(200, 1e-9);
        LatencyStatistics.ExpectedMeanMs(0, followers: 5, minDelayMs: 100, maxDelayMs: 400).Should().Be(100);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Expected_mean_matches_a_simulation_of_the_Wth_smallest_of_five_uniform_delays(int w)
    {
        // Arrange: the formula checked against what it claims to be, not against itself.
        var random = new Random(20261121 + w);
        const int Samples = 200_000;

        // Act
        var simulated = Enumerable.Range(0, Samples)
            .Select(_ => Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 1000).Order().ElementAt(w - 1))
            .Average();

        // Assert: the standard error of the mean is under 1 ms here.
        LatencyStatistics.ExpectedMeanMs(w, 5, 0, 1000).Should().BeApproximately(simulated, 4);
    }

    [Fact]
    public void Expected_mean_refuses_a_quorum_larger_than_the_followers()
    {
        var act = () => LatencyStatistics.ExpectedMeanMs(6, followers: 5, minDelayMs: 0, maxDelayMs: 1000);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
