using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Api;

/// <summary>
/// Reading your writes on any node: <c>GET ?minSeq=S</c> answers from a state at or past the write
/// with seq S, waiting for it while replication lags, and answers 504 with where the node is if it
/// does not get there within <c>maxWaitMs</c>. Malformed parameters are in <see cref="MalformedRequests.BadReads"/>.
/// </summary>
public sealed class ReadYourWritesSpecs
{
    [Fact]
    public async Task A_follower_read_with_minSeq_waits_for_the_write_it_names_while_replication_lags()
    {
        // W=0 answers at once, and every entry spends 1 to 1.5 s on its way to the follower: the
        // follower is behind the answer for sure, and a plain read there would not see the write.
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 0, minDelayMs: 1000, maxDelayMs: 1500);
        var follower = cluster.Followers[0];
        var askedBeforeTheWrite = cluster.Http.GetAsync(new Uri(follower, "/kv/greeting?minSeq=1&maxWaitMs=10000"));

        using var put = await cluster.PutAsync("greeting", "hello");
        var seq = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
        using var one = await cluster.Http.GetAsync(new Uri(follower, $"/kv/greeting?minSeq={seq}&maxWaitMs=10000"));
        using var all = await cluster.Http.GetAsync(new Uri(follower, $"/kv?minSeq={seq}&maxWaitMs=10000"));
        using var early = await askedBeforeTheWrite;

        put.StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var read in new[] { one, early })
        {
            read.StatusCode.Should().Be(HttpStatusCode.OK, "the follower waited until it had applied seq 1");
            var item = await read.Content.ReadFromJsonAsync<JsonElement>();
            item.GetProperty("value").GetString().Should().Be("hello");
            item.GetProperty("seq").GetInt64().Should().Be(seq);
        }

        all.StatusCode.Should().Be(HttpStatusCode.OK);
        var state = await all.Content.ReadFromJsonAsync<JsonElement>();
        state.GetProperty("appliedSeq").GetInt64().Should().BeGreaterThanOrEqualTo(seq);
        state.GetProperty("items").GetProperty("greeting").GetProperty("value").GetString().Should().Be("hello");
    }

    [Fact]
    public async Task A_read_with_minSeq_past_every_write_answers_504_with_the_nodes_appliedSeq_once_maxWaitMs_has_passed()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);
        (await cluster.PutAsync("k", 1)).EnsureSuccessStatusCode();
        await cluster.AssertConvergedAsync(TimeSpan.FromSeconds(10));

        foreach (var node in new[] { cluster.Leader, cluster.Followers[0] })
        {
            foreach (var path in new[] { "/kv/k?minSeq=1000&maxWaitMs=200", "/kv?minSeq=1000&maxWaitMs=200" })
            {
                using var read = await cluster.Http.GetAsync(new Uri(node, path));

                var problem = await ClusterAssertions.AssertProblemAsync(read, HttpStatusCode.GatewayTimeout);
                problem.GetProperty("type").GetString().Should().Be("urn:kvstore:problem:not-caught-up");
                problem.GetProperty("minSeq").GetInt64().Should().Be(1000);
                problem.GetProperty("appliedSeq").GetInt64().Should().Be(1, $"{node} has applied the one write");
                problem.GetProperty("maxWaitMs").GetInt64().Should().Be(200);
            }
        }
    }

    [Fact]
    public async Task A_read_with_minSeq_the_node_has_reached_answers_at_once_even_with_no_wait_allowed()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);
        (await cluster.PutAsync("k", "v")).EnsureSuccessStatusCode();
        await cluster.AssertConvergedAsync(TimeSpan.FromSeconds(10));

        foreach (var node in new[] { cluster.Leader, cluster.Followers[0] })
        {
            var item = await cluster.GetJsonAsync(node, "/kv/k?minSeq=1&maxWaitMs=0");
            var state = await cluster.GetJsonAsync(node, "/kv?minSeq=0");
            using var missing = await cluster.Http.GetAsync(new Uri(node, "/kv/other?minSeq=1"));

            item.GetProperty("value").GetString().Should().Be("v");
            state.GetProperty("appliedSeq").GetInt64().Should().Be(1);
            await ClusterAssertions.AssertProblemAsync(missing, HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task A_read_without_maxWaitMs_waits_the_default_1000_ms_before_its_504()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);

        using var read = await cluster.Http.GetAsync(new Uri(cluster.Followers[0], "/kv?minSeq=5"));

        var problem = await ClusterAssertions.AssertProblemAsync(read, HttpStatusCode.GatewayTimeout);
        problem.GetProperty("maxWaitMs").GetInt64().Should().Be(1000);
        problem.GetProperty("appliedSeq").GetInt64().Should().Be(0);
    }
}
