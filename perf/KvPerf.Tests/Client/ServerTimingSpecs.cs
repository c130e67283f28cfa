using KvPerf.Client;

namespace KvPerf.Tests.Client;

/// <summary>Reading the leader's W3C <c>Server-Timing</c> header.</summary>
public sealed class ServerTimingSpecs
{
    private const string Metric = ServerTiming.QuorumDelayMetric;

    [Fact]
    public void Duration_of_the_leaders_quorum_delay_is_read_in_ms()
    {
        ServerTiming.DurationMs(["quorum-delay;dur=12.345;desc=\"injected delay of the acknowledgement that completed the quorum\""], Metric)
            .Should().Be(12.345);
    }

    [Fact]
    public void Duration_is_found_among_other_metrics_and_headers()
    {
        string[] headers = ["db;dur=53, app;dur=47.2", "cache;desc=\"Cache Read\";dur=23.2, quorum-delay;dur=640"];

        ServerTiming.DurationMs(headers, Metric).Should().Be(640);
        ServerTiming.DurationMs(headers, "app").Should().Be(47.2);
    }

    [Fact]
    public void Quoted_descriptions_may_hold_commas_semicolons_and_escaped_quotes()
    {
        ServerTiming.DurationMs(["x;desc=\"a, b; \\\"c\\\", quorum-delay;dur=1\";dur=2, quorum-delay;dur=3"], Metric).Should().Be(3);
    }

    [Fact]
    public void Parameter_names_ignore_case_spaces_are_allowed_and_the_first_dur_counts()
    {
        ServerTiming.DurationMs([" quorum-delay ; DUR = 7 ; dur=9"], Metric).Should().Be(7);
        ServerTiming.DurationMs(["quorum-delay;dur=\"8.5\""], Metric).Should().Be(8.5);
    }

    [Theory]
    [InlineData("")]
    [InlineData("app;dur=12")]
    [InlineData("quorum-delay")]
    [InlineData("quorum-delay;desc=\"no duration\"")]
    [InlineData("quorum-delay;dur=soon")]
    [InlineData("quorum-delay;dur=-1")]
    [InlineData("quorum-delay;dur=NaN")]
    [InlineData("Quorum-Delay;dur=5")]
    [InlineData("quorum-delays;dur=5")]
    public void No_usable_quorum_delay_is_null_not_zero(string header)
    {
        ServerTiming.DurationMs([header], Metric).Should().BeNull();
    }

    [Fact]
    public void A_metric_without_a_usable_dur_hides_no_later_one_of_the_same_name()
    {
        // W3C Server Timing: each metric stands alone; the first named one with a dur is what the leader meant.
        ServerTiming.DurationMs(["quorum-delay, quorum-delay;dur=4"], Metric).Should().Be(4);
    }
}
