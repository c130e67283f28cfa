using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Api;

/// <summary>
/// The leader's <c>Server-Timing</c> header on a committed write, over real HTTP on an in-process
/// cluster: the simulated delay of the acknowledgement that completed the quorum, in ms.
/// </summary>
public sealed partial class ServerTimingSpecs
{
    private const double TimerSlackMs = 5;
    private const string Description = "desc=\"injected delay of the acknowledgement that completed the quorum\"";

    [Fact]
    public async Task Committed_put_and_delete_carry_the_injected_delay_of_the_quorum_completing_acknowledgement()
    {
        // Arrange: every follower's delay is 150 ms, so whichever follower completes W, its delay is 150 ms.
        await using var cluster = await InProcessCluster.StartAsync(followers: 2, writeQuorum: 2, minDelayMs: 150, maxDelayMs: 150);

        // Act
        using var put = await cluster.PutAsync("k", 1);
        using var delete = await cluster.Http.DeleteAsync(new Uri(cluster.Leader, "/kv/k"));

        // Assert
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        put.Headers.GetValues("Server-Timing").Should().Equal($"quorum-delay;dur=150;{Description}");
        delete.StatusCode.Should().Be(HttpStatusCode.OK);
        delete.Headers.GetValues("Server-Timing").Should().Equal($"quorum-delay;dur=150;{Description}");
    }

    [Fact]
    public async Task Server_timing_delay_lies_in_the_delay_range_and_within_the_latency_the_client_saw()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 5, writeQuorum: 3, minDelayMs: 50, maxDelayMs: 250);

        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await cluster.PutAsync($"k{i}", i);
            var latencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var match = QuorumDelay().Match(response.Headers.GetValues("Server-Timing").Single());
            match.Success.Should().BeTrue();
            var delayMs = double.Parse(match.Groups["dur"].Value, CultureInfo.InvariantCulture);
            delayMs.Should().BeInRange(50, 250, "it is one of the drawn delays");
            // The delay runs on a .NET timer, which counts time on a coarse millisecond clock and can
            // fire a few ms early; a Stopwatch does not.
            delayMs.Should().BeLessThanOrEqualTo(latencyMs + TimerSlackMs, "the write waited for it");
        }
    }

    [Fact]
    public async Task Write_that_waits_for_no_acknowledgement_carries_no_server_timing()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 0, minDelayMs: 100, maxDelayMs: 100);

        using var response = await cluster.PutAsync("k", 1);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.Contains("Server-Timing").Should().BeFalse("at W = 0 no acknowledgement completed a quorum");
    }

    [GeneratedRegex("""^quorum-delay;dur=(?<dur>[0-9]+(\.[0-9]{1,3})?);desc="[^"]+"$""")]
    private static partial Regex QuorumDelay();
}
