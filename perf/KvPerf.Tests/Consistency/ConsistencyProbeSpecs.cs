using System.Diagnostics;
using KvPerf.Client;
using KvPerf.Consistency;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Consistency;

public sealed class ConsistencyProbeSpecs
{
    private const string LeaderJson = """{"node": "leader", "role": "leader", "appliedSeq": 2, "items": {"k0": {"value": 1, "seq": 1}, "k1": {"value": 2, "seq": 2}}}""";
    private const string BehindJson = """{"node": "follower2", "role": "follower", "appliedSeq": 1, "items": {"k0": {"value": 1, "seq": 1}}}""";
    private const string CaughtUpJson = """{"node": "follower2", "role": "follower", "appliedSeq": 2, "items": {"k0": {"value": 1, "seq": 1}, "k1": {"value": 2, "seq": 2}}}""";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Probe_records_the_lag_at_the_last_answer_and_the_time_until_the_follower_caught_up()
    {
        // Arrange: follower2 answers behind for its first three reads, then caught up.
        var reads = 0;
        await using var leader = new StubNode((_, _, _) => Task.FromResult((200, LeaderJson)));
        await using var upToDate = new StubNode((_, _, _) => Task.FromResult((200, LeaderJson.Replace("\"leader\", \"role\": \"leader\"", "\"follower1\", \"role\": \"follower\"", StringComparison.Ordinal))));
        await using var lagging = new StubNode((_, _, _) => Task.FromResult((200, Interlocked.Increment(ref reads) <= 3 ? BehindJson : CaughtUpJson)));
        var probe = new ConsistencyProbe(new KvClient(Http, leader.Uri), [new KvClient(Http, upToDate.Uri), new KvClient(Http, lagging.Uri)]);

        // Act
        var result = await probe.MeasureAsync(Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(10), CancellationToken.None);

        // Assert
        result.LeaderAppliedSeq.Should().Be(2);
        result.AtLastAck.Select(f => f.Equal).Should().Equal(true, false);
        result.AtLastAck[1].Should().Be(new FollowerConsistency("follower2", false, 1, 1, 1, 0, 0));
        result.BehindAtLastAck.Should().Be(1);
        result.Converged.Should().BeTrue();
        result.ConvergenceMs.Should().BeGreaterThanOrEqualTo(2 * ConsistencyProbe.PollIntervalMs, "two polls passed before the fourth read");
        result.AfterDrain.Should().OnlyContain(f => f.Equal);
        reads.Should().Be(4);
    }

    [Fact]
    public async Task Probe_reports_no_convergence_when_a_follower_stays_behind_past_the_bound()
    {
        await using var leader = new StubNode((_, _, _) => Task.FromResult((200, LeaderJson)));
        await using var stuck = new StubNode((_, _, _) => Task.FromResult((200, BehindJson)));
        var probe = new ConsistencyProbe(new KvClient(Http, leader.Uri), [new KvClient(Http, stuck.Uri)]);

        var result = await probe.MeasureAsync(Stopwatch.GetTimestamp(), TimeSpan.FromMilliseconds(200), CancellationToken.None);

        result.Converged.Should().BeFalse();
        result.ConvergenceMs.Should().BeNull();
        result.AfterDrain.Should().ContainSingle().Which.MissingKeys.Should().Be(1);
    }

    [Fact]
    public async Task Probe_marks_a_follower_that_does_not_answer_as_unreadable_not_equal()
    {
        await using var leader = new StubNode((_, _, _) => Task.FromResult((200, LeaderJson)));
        await using var broken = new StubNode((_, _, _) => Task.FromResult((500, "{}")));
        var probe = new ConsistencyProbe(new KvClient(Http, leader.Uri), [new KvClient(Http, broken.Uri)]);

        var (_, followers) = await probe.SnapshotAsync(CancellationToken.None);

        followers.Should().ContainSingle().Which.Should().Match<FollowerConsistency>(f => !f.Equal && f.AppliedSeq == null && f.Error == "HTTP 500");
    }
}
