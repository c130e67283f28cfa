using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvActors.Replication.Follower;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Api;

/// <summary>Six real nodes on loopback HTTP: the write path end to end, without Docker.</summary>
public sealed class InProcessClusterSpecs
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Write_on_the_leader_is_readable_with_the_same_seq_on_every_follower()
    {
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 3);

        using var response = await cluster.PutAsync("greeting", new { text = "hello" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var written = await response.Content.ReadFromJsonAsync<JsonElement>();
        written.GetProperty("acks").GetInt32().Should().Be(3);
        written.GetProperty("writeQuorum").GetInt32().Should().Be(3);
        var seq = written.GetProperty("seq").GetInt64();
        await Eventually.AssertAsync(
            async () =>
            {
                foreach (var follower in cluster.Followers)
                {
                    var item = await cluster.GetJsonAsync(follower, "/kv/greeting");
                    item.GetProperty("seq").GetInt64().Should().Be(seq);
                    item.GetProperty("value").GetProperty("text").GetString().Should().Be("hello");
                }
            },
            Convergence);
    }

    [Theory]
    [InlineData(AckMode.Received)]
    [InlineData(AckMode.Applied)]
    public async Task Concurrent_writes_leave_every_follower_equal_to_the_leader(AckMode ackMode)
    {
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 2, maxDelayMs: 30, ackMode: ackMode);
        using var gate = new SemaphoreSlim(10);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await cluster.PutAsync($"k{i % 10}", i);
                return response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));

        statuses.Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.OK));
        (await cluster.GetJsonAsync(cluster.Leader, "/kv")).GetProperty("appliedSeq").GetInt64().Should().Be(100);
        await cluster.AssertConvergedAsync(Convergence);
    }

    [Fact]
    public async Task Delete_replicates_a_tombstone_and_a_second_delete_is_404()
    {
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 5);
        (await cluster.PutAsync("doomed", 1)).EnsureSuccessStatusCode();

        using var deleted = await cluster.Http.DeleteAsync(new Uri(cluster.Leader, "/kv/doomed"));
        using var again = await cluster.Http.DeleteAsync(new Uri(cluster.Leader, "/kv/doomed"));

        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64().Should().Be(2);
        again.StatusCode.Should().Be(HttpStatusCode.NotFound);
        foreach (var follower in cluster.Followers)
        {
            using var read = await cluster.Http.GetAsync(new Uri(follower, "/kv/doomed"));
            read.StatusCode.Should().Be(HttpStatusCode.NotFound, "W=5: every follower applied the tombstone before the 200");
        }
    }

    [Fact]
    public async Task Follower_answers_a_write_with_403_naming_the_leader_and_changes_nothing()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);

        using var response = await cluster.PutAsync("k", 1, node: cluster.Followers[0]);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("leader").GetString().Should().Be(cluster.Leader.ToString());
        (await cluster.GetJsonAsync(cluster.Followers[0], "/kv")).GetProperty("appliedSeq").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task Write_answers_504_with_acks_and_quorum_when_W_followers_cannot_acknowledge_in_time()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 2, writeQuorum: 2, timeoutMs: 1000);
        // A stopped follower refuses connections: a transient failure the leader keeps retrying, so
        // only the replication timeout can end the wait.
        await cluster.StopFollowerAsync(1);

        using var response = await cluster.PutAsync("k", "v");

        response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("acks").GetInt32().Should().Be(1);
        problem.GetProperty("writeQuorum").GetInt32().Should().Be(2);
        problem.GetProperty("seq").GetInt64().Should().Be(1);
        (await cluster.GetJsonAsync(cluster.Leader, "/kv/k")).GetProperty("value").GetString().Should().Be("v", "a 504 write is applied on the leader and not rolled back");
        var status = await cluster.GetJsonAsync(cluster.Leader, "/status");
        status.GetProperty("writes").GetProperty("notCommitted").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Leader_answers_503_at_once_past_MAX_WRITES_IN_FLIGHT_and_applies_nothing_of_it()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1, timeoutMs: 3000, maxWritesInFlight: 2);
        await cluster.StopFollowerAsync(0);
        var waiting = new[] { cluster.PutAsync("held-1", 1), cluster.PutAsync("held-2", 2) };
        await Eventually.AssertAsync(
            async () => (await cluster.GetJsonAsync(cluster.Leader, "/status")).GetProperty("writes").GetProperty("inFlight").GetInt32().Should().Be(2),
            TimeSpan.FromSeconds(5));

        using var refused = await cluster.PutAsync("refused", 3);

        var problem = await ClusterAssertions.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("type").GetString().Should().Be("urn:kvstore:problem:overloaded");
        refused.Headers.RetryAfter.Should().NotBeNull();
        (await cluster.GetJsonAsync(cluster.Leader, "/kv")).GetProperty("items").TryGetProperty("refused", out _).Should().BeFalse();
        foreach (var write in await Task.WhenAll(waiting))
        {
            write.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout, "the two admitted writes still wait for their quorum");
            write.Dispose();
        }
    }

    [Fact]
    public async Task A_value_of_MAX_VALUE_BYTES_replicates_to_every_follower_over_Akka_Remote()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 2, writeQuorum: 2);
        var value = new string('v', 1_048_576 - 2);

        using var response = await cluster.PutAsync("big", value);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "one entry is one Akka.Remote frame, sized for MAX_VALUE_BYTES");
        await cluster.AssertConvergedAsync(Convergence);
        foreach (var follower in cluster.Followers)
        {
            (await cluster.GetJsonAsync(follower, "/kv/big")).GetProperty("value").GetString().Should().Be(value);
        }
    }
}
