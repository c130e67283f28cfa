using System.Collections.Concurrent;
using System.Text.Json;
using KvPerf.Bench;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Bench;

/// <summary>
/// The closed-loop driver against a real HTTP server on loopback (<see cref="StubNode"/>) through
/// the benchmark's real kvstore connection. Nothing here asserts a speed.
/// </summary>
public sealed class ClosedLoopDriverSpecs
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Each_client_keeps_exactly_one_write_in_flight_on_a_connection_of_its_own()
    {
        // Arrange: a leader that holds each write 20 ms and tracks how many are in flight.
        var inFlight = 0;
        var maxInFlight = 0;
        await using var leader = new StubNode(async (_, path, _) =>
        {
            InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
            await Task.Delay(20);
            Interlocked.Decrement(ref inFlight);
            return (200, Answer(path));
        });
        var connections = Connections(leader, 4);

        // Act
        // A 1 s window: on a machine busy with the other test projects, the first answers of fresh
        // connections took longer than a 300 ms window, which then measured no write at all. Not
        // longer: with a 2 s window the stub's HttpListener had replaced every client's connection
        // once (8 client ports for 4 clients, about 100 requests each).
        var result = await ClosedLoopDriver.RunAsync(connections, new BenchWrites(100), Short, TimeSpan.FromSeconds(1), null, null, CancellationToken.None);

        // Assert
        maxInFlight.Should().Be(4, "four clients, each waiting for its answer before its next write");
        leader.ClientPorts.Should().HaveCount(4, "one keep-alive connection per client");
        result.Errors.Should().Be(0);
        result.Latencies.Count.Should().BeGreaterThan(0);
        result.Latencies.PercentileMs(50).Should().BeGreaterThanOrEqualTo(20);
    }

    [Fact]
    public async Task Only_writes_answered_inside_the_window_count_and_writes_per_second_divide_by_the_window()
    {
        // Arrange: every write answered at once; half the time is warm-up.
        var received = 0;
        await using var leader = new StubNode((_, path, _) =>
        {
            Interlocked.Increment(ref received);
            return Task.FromResult((200, Answer(path)));
        });
        var window = TimeSpan.FromMilliseconds(500);

        // Act
        var result = await ClosedLoopDriver.RunAsync(Connections(leader, 2), new BenchWrites(100), window, window, null, null, CancellationToken.None);

        // Assert
        result.Sent.Should().Be(received);
        result.Latencies.Count.Should().BeInRange(1, result.Sent - 1, "the warm-up's writes are not measured");
        var summary = result.Summarize();
        summary.Writes.Should().Be(result.Latencies.Count);
        summary.WritesPerSecond.Should().BeApproximately(result.Latencies.Count / window.TotalSeconds, 0.1);
    }

    [Fact]
    public async Task Answers_other_than_200_are_errors_by_reason_and_never_latencies()
    {
        // Arrange: a write to k0 waits 200 ms and gets a 504; every other key answers 200 at once.
        await using var leader = new StubNode(async (_, path, _) =>
        {
            if (path == "/kv/k0")
            {
                await Task.Delay(200);
                return (504, """{"type": "quorum-not-reached", "status": 504}""");
            }

            return (200, Answer(path));
        });

        // Act
        var result = await ClosedLoopDriver.RunAsync(
            Connections(leader, 3), new BenchWrites(4), TimeSpan.Zero, TimeSpan.FromMilliseconds(800), null, null, CancellationToken.None);

        // Assert
        result.ErrorsByReason.Keys.Should().Equal("HTTP 504");
        result.Errors.Should().BeGreaterThan(0);
        result.Latencies.PercentileMs(100).Should().BeLessThan(200, "no 504 is among the latencies");
        result.Summarize().Errors.Should().Be(result.Errors);
    }

    [Fact]
    public async Task Writes_go_round_robin_over_the_keys_with_the_value_json_both_systems_get()
    {
        // Arrange
        var bodies = new ConcurrentQueue<(string Path, string Value)>();
        await using var leader = new StubNode((_, path, body) =>
        {
            bodies.Enqueue((path, JsonDocument.Parse(body).RootElement.GetProperty("value").GetRawText()));
            return Task.FromResult((200, Answer(path)));
        });
        var writes = new BenchWrites(3);

        // Act
        await ClosedLoopDriver.RunAsync(Connections(leader, 1), writes, TimeSpan.Zero, Short, null, null, CancellationToken.None);

        // Assert: one client, so the server saw write 0, 1, 2, ... in order.
        var seen = bodies.ToArray();
        seen.Length.Should().BeGreaterThan(3);
        for (var n = 0; n < seen.Length; n++)
        {
            seen[n].Path.Should().Be($"/kv/k{n % 3}");
            seen[n].Value.Should().Be(writes.For(n).ValueJson);
        }
    }

    [Fact]
    public async Task End_of_window_sampling_runs_while_the_clients_still_write()
    {
        // Arrange
        var received = 0;
        await using var leader = new StubNode(async (_, path, _) =>
        {
            Interlocked.Increment(ref received);
            await Task.Delay(2);
            return (200, Answer(path));
        });
        int? during = null;

        // Act
        await ClosedLoopDriver.RunAsync(
            Connections(leader, 2),
            new BenchWrites(100),
            TimeSpan.Zero,
            Short,
            async _ =>
            {
                var before = Volatile.Read(ref received);
                await Task.Delay(200);
                during = Volatile.Read(ref received) - before;
            },
            null,
            CancellationToken.None);

        // Assert
        during.Should().BeGreaterThan(0, "the load goes on while the end of the window is sampled");
    }

    [Fact]
    public async Task A_leader_that_is_gone_gives_transport_errors_not_an_exception()
    {
        Uri gone;
        await using (var stub = new StubNode((_, _, _) => Task.FromResult((200, "{}"))))
        {
            gone = stub.Uri;
        }

        var connection = new KvStoreConnection(gone);
        var result = await ClosedLoopDriver.RunAsync([connection], new BenchWrites(10), TimeSpan.Zero, TimeSpan.FromMilliseconds(200), null, null, CancellationToken.None);
        await connection.DisposeAsync();

        result.Latencies.Count.Should().Be(0);
        result.ErrorsByReason.Keys.Should().ContainSingle().Which.Should().StartWith("transport");
    }

    [Fact]
    public async Task Progress_is_reported_up_to_one()
    {
        await using var leader = new StubNode((_, path, _) => Task.FromResult((200, Answer(path))));
        var shares = new ConcurrentQueue<double>();

        await ClosedLoopDriver.RunAsync(Connections(leader, 1), new BenchWrites(10), Short, Short, null, shares.Enqueue, CancellationToken.None);

        shares.Should().BeInAscendingOrder().And.OnlyContain(s => s >= 0 && s <= 1);
        shares.Last().Should().Be(1);
    }

    private static IBenchConnection[] Connections(StubNode leader, int clients) =>
        Enumerable.Range(0, clients).Select(_ => (IBenchConnection)new KvStoreConnection(leader.Uri)).ToArray();

    private static string Answer(string path) =>
        $$"""{"key": "{{path[4..]}}", "seq": 1, "acks": 1, "writeQuorum": 1}""";

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
