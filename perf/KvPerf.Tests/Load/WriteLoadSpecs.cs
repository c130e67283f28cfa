using System.Collections.Concurrent;
using System.Text.Json;
using KvPerf.Client;
using KvPerf.Load;
using KvPerf.Statistics;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Load;

public sealed class WriteLoadSpecs
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Failed_writes_are_counted_apart_and_never_averaged_into_the_latency()
    {
        // Arrange: every 10th write waits 300 ms and gets a 504; the others answer 200 at once.
        var seq = 0;
        await using var leader = new StubNode(async (method, path, body) =>
        {
            var write = JsonDocument.Parse(body).RootElement.GetProperty("value").GetProperty("write").GetInt32();
            if (write % 10 == 0)
            {
                await Task.Delay(300);
                return (504, """{"type": "quorum-not-reached", "status": 504, "seq": 0, "acks": 0, "writeQuorum": 2}""");
            }

            var s = Interlocked.Increment(ref seq);
            return (200, $$"""{"key": "{{path[4..]}}", "seq": {{s}}, "acks": 2, "writeQuorum": 2}""");
        });

        // Act
        var result = await new WriteLoad(new KvClient(Http, leader.Uri)).RunAsync(100, 10, 10, () => { }, CancellationToken.None);

        // Assert
        result.LatenciesMs.Should().HaveCount(90);
        result.Failures.Should().Be(10);
        result.FailuresByReason.Should().Equal(new Dictionary<string, int> { ["HTTP 504"] = 10 });
        LatencyStatistics.Summarize(result.LatenciesMs)!.Max.Should().BeLessThan(300, "no 504 is among the latencies");
        result.AnsweredWriteQuorums.Should().Equal(2);
        result.LatenciesByWrite.Where((_, i) => i % 10 == 0).Should().OnlyContain(l => l == null, "write i is at index i");
        result.LatenciesByWrite.Where((_, i) => i % 10 != 0).Should().OnlyContain(l => l != null);
    }

    [Fact]
    public async Task Writes_go_round_robin_over_k0_to_k9_with_at_most_the_concurrency_in_flight()
    {
        // Arrange
        var keys = new ConcurrentBag<string>();
        var inFlight = 0;
        var maxInFlight = 0;
        var seq = 0;
        await using var leader = new StubNode(async (method, path, body) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            keys.Add(path);
            await Task.Delay(20);
            Interlocked.Decrement(ref inFlight);
            return (200, $$"""{"key": "{{path[4..]}}", "seq": {{Interlocked.Increment(ref seq)}}, "acks": 1, "writeQuorum": 1}""");
        });
        var answered = 0;

        // Act
        var result = await new WriteLoad(new KvClient(Http, leader.Uri))
            .RunAsync(100, 10, 10, () => Interlocked.Increment(ref answered), CancellationToken.None);

        // Assert
        result.LatenciesMs.Should().HaveCount(100);
        answered.Should().Be(100);
        keys.GroupBy(k => k).Should().HaveCount(10).And.OnlyContain(g => g.Count() == 10);
        keys.Should().OnlyContain(k => k.StartsWith("/kv/k", StringComparison.Ordinal));
        maxInFlight.Should().BeInRange(2, 10);
    }

    [Fact]
    public async Task Each_writes_injected_delay_is_read_from_the_leaders_Server_Timing_and_kept_by_write()
    {
        // Arrange: write i names an injected delay of i ms and takes 30 ms; every 5th answer carries no
        // header, every 7th write fails.
        await using var leader = new StubNode(async (method, path, body) =>
        {
            var write = JsonDocument.Parse(body).RootElement.GetProperty("value").GetProperty("write").GetInt32();
            await Task.Delay(30);
            IReadOnlyDictionary<string, string> headers = write % 5 == 0
                ? new Dictionary<string, string>()
                : new Dictionary<string, string> { ["Server-Timing"] = $"app;dur=1, quorum-delay;dur={write};desc=\"injected\"" };
            return write % 7 == 0
                ? (504, """{"type": "quorum-not-reached", "status": 504}""", headers)
                : (200, $$"""{"key": "{{path[4..]}}", "seq": {{write + 1}}, "acks": 1, "writeQuorum": 1}""", headers);
        });

        // Act
        var result = await new WriteLoad(new KvClient(Http, leader.Uri)).RunAsync(40, 4, 10, () => { }, CancellationToken.None);

        // Assert
        result.InjectedDelaysByWrite.Should().HaveCount(40);
        for (var i = 0; i < 40; i++)
        {
            result.InjectedDelaysByWrite[i].Should().Be(i % 7 == 0 || i % 5 == 0 ? null : i, $"write {i}");
        }

        var beyond = LatencyStatistics.SummarizeBeyondInjectedDelay(result.LatenciesByWrite, result.InjectedDelaysByWrite)!;
        beyond.Count.Should().Be(40 - 6 - 8 + 2, "writes 0 and 35 are both every 5th and every 7th");
        var named = Enumerable.Range(0, 40).Where(i => i % 7 != 0 && i % 5 != 0);
        beyond.Mean.Should().BeApproximately(named.Average(i => result.LatenciesByWrite[i]!.Value - i), 0.01, "write i's delay is taken off write i's latency");
    }

    [Fact]
    public async Task A_leader_that_is_gone_gives_failures_not_an_exception()
    {
        // Arrange: a port nothing listens on any more.
        Uri gone;
        await using (var stub = new StubNode((_, _, _) => Task.FromResult((200, "{}"))))
        {
            gone = stub.Uri;
        }

        // Act
        var result = await new WriteLoad(new KvClient(Http, gone)).RunAsync(5, 2, 10, () => { }, CancellationToken.None);

        // Assert
        result.LatenciesMs.Should().BeEmpty();
        result.Failures.Should().Be(5);
        result.FailuresByReason.Keys.Should().ContainSingle().Which.Should().StartWith("transport");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
