using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Api;

/// <summary>
/// Retried writes with an <c>Idempotency-Key</c> against real nodes on loopback Kestrel: a retry gets
/// the first write's <c>seq</c> back and the leader applies it once.
/// </summary>
public sealed class IdempotencySpecs
{
    public static TheoryData<string, string> BadKeys => MalformedRequests.BadIdempotencyKeyValues;

    [Fact]
    public async Task A_retried_put_and_delete_get_their_first_seq_back_marked_replayed_and_are_applied_once()
    {
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 3);

        using var put = await SendAsync(cluster, HttpMethod.Put, "cart", new { items = 1 }, "put-7f3a");
        using var putAgain = await SendAsync(cluster, HttpMethod.Put, "cart", new { items = 1 }, "put-7f3a");
        using var delete = await SendAsync(cluster, HttpMethod.Delete, "cart", null, "delete-7f3a");
        using var deleteAgain = await SendAsync(cluster, HttpMethod.Delete, "cart", null, "delete-7f3a");

        foreach (var (first, retry, seq) in new[] { (put, putAgain, 1L), (delete, deleteAgain, 2L) })
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
            retry.StatusCode.Should().Be(HttpStatusCode.OK, "a retried delete is not a 404: it answers the delete it repeats");
            (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64().Should().Be(seq);
            (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64().Should().Be(seq);
            first.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
            retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        }

        (await cluster.GetJsonAsync(cluster.Leader, "/kv")).GetProperty("appliedSeq").GetInt64().Should().Be(2, "two writes, each applied once");
        var status = await cluster.GetJsonAsync(cluster.Leader, "/status");
        status.GetProperty("writes").GetProperty("committed").GetInt64().Should().Be(2);
    }

    [Fact]
    public async Task A_key_sent_bare_and_as_a_quoted_structured_field_string_is_one_key()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);

        using var bare = await SendAsync(cluster, HttpMethod.Put, "k", 1, "8e03978e-40d5-43e8-bc93-6894a57f9324");
        using var quoted = await SendAsync(cluster, HttpMethod.Put, "k", 1, "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"");

        quoted.StatusCode.Should().Be(HttpStatusCode.OK);
        quoted.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await cluster.GetJsonAsync(cluster.Leader, "/kv/k")).GetProperty("seq").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Concurrent_retries_of_a_write_in_flight_all_get_its_seq_and_it_is_applied_once()
    {
        // W=5 with 100-300 ms of lag: every copy arrives while the first is still waiting for its quorum.
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 5, minDelayMs: 100, maxDelayMs: 300);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await SendAsync(cluster, HttpMethod.Put, "once", "v", "concurrent-1");
            return (response.StatusCode, Seq: (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64(), Replayed: response.Headers.Contains("Idempotent-Replayed"));
        }));

        answers.Should().AllSatisfy(a => a.Should().Be((HttpStatusCode.OK, 1L, a.Replayed)));
        answers.Count(a => !a.Replayed).Should().Be(1, "one request made the write; nine got its outcome");
        (await cluster.GetJsonAsync(cluster.Leader, "/kv")).GetProperty("appliedSeq").GetInt64().Should().Be(1);
        await cluster.AssertConvergedAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_retry_of_a_504_answers_200_with_the_same_seq_once_W_followers_hold_it()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 2, writeQuorum: 2, timeoutMs: 1000);
        await cluster.StopFollowerAsync(1);
        using var timedOut = await SendAsync(cluster, HttpMethod.Put, "k", "v", "after-504");
        var problem = await ClusterAssertions.AssertProblemAsync(timedOut, HttpStatusCode.GatewayTimeout);
        problem.GetProperty("seq").GetInt64().Should().Be(1);

        using var stillShort = await SendAsync(cluster, HttpMethod.Put, "k", "v", "after-504");
        (await ClusterAssertions.AssertProblemAsync(stillShort, HttpStatusCode.GatewayTimeout)).GetProperty("acks").GetInt32().Should().Be(1);
        stillShort.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        await cluster.StartFollowerAsync(1);

        await Eventually.AssertAsync(
            async () =>
            {
                using var retry = await SendAsync(cluster, HttpMethod.Put, "k", "v", "after-504");
                retry.StatusCode.Should().Be(HttpStatusCode.OK, "the restarted follower now holds seq 1 too");
                var answer = await retry.Content.ReadFromJsonAsync<JsonElement>();
                answer.GetProperty("seq").GetInt64().Should().Be(1);
                answer.GetProperty("acks").GetInt32().Should().Be(2);
            },
            TimeSpan.FromSeconds(20));
        (await cluster.GetJsonAsync(cluster.Leader, "/kv")).GetProperty("appliedSeq").GetInt64().Should().Be(1, "no retry was applied again");
    }

    [Fact]
    public async Task A_key_reused_for_another_request_is_a_422_problem_and_changes_nothing()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);
        (await SendAsync(cluster, HttpMethod.Put, "k", "first", "reused")).EnsureSuccessStatusCode();

        using var otherValue = await SendAsync(cluster, HttpMethod.Put, "k", "second", "reused");
        using var otherKey = await SendAsync(cluster, HttpMethod.Put, "other", "first", "reused");
        using var otherMethod = await SendAsync(cluster, HttpMethod.Delete, "k", null, "reused");

        foreach (var response in new[] { otherValue, otherKey, otherMethod })
        {
            var problem = await ClusterAssertions.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
            problem.GetProperty("type").GetString().Should().Be("urn:kvstore:problem:idempotency-key-reused");
            problem.GetProperty("idempotencyKey").GetString().Should().Be("reused");
        }

        var state = await cluster.GetJsonAsync(cluster.Leader, "/kv");
        state.GetProperty("appliedSeq").GetInt64().Should().Be(1);
        state.GetProperty("items").GetProperty("k").GetProperty("value").GetString().Should().Be("first");
    }

    [Fact]
    public async Task Whitespace_in_the_body_does_not_make_a_retry_another_request()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);
        using var compact = await SendRawAsync(cluster, "k", """{"value":{"a":[1,2],"b":"é"}}""", "spaced");

        using var spaced = await SendRawAsync(cluster, "k", """ { "value" : { "a" : [ 1, 2 ], "b" : "\u00e9" } } """, "spaced");

        spaced.StatusCode.Should().Be(HttpStatusCode.OK);
        spaced.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_bad_Idempotency_Key_is_a_400_problem_and_changes_nothing(string why, string idempotencyKey)
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);

        using var put = await SendAsync(cluster, HttpMethod.Put, "k", "v", idempotencyKey);
        using var delete = await SendAsync(cluster, HttpMethod.Delete, "k", null, idempotencyKey);

        foreach (var response in new[] { put, delete })
        {
            var problem = await ClusterAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
            problem.GetProperty("detail").GetString().Should().Contain("Idempotency-Key", why);
        }

        (await cluster.GetJsonAsync(cluster.Leader, "/kv")).GetProperty("appliedSeq").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task Two_Idempotency_Key_header_lines_are_a_400_problem_and_change_nothing()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(cluster.Leader, "/kv/k")) { Content = JsonContent.Create(new { value = 1 }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", ["one", "two"]).Should().BeTrue();

        using var response = await cluster.Http.SendAsync(request);

        await ClusterAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        (await cluster.GetJsonAsync(cluster.Leader, "/kv")).GetProperty("appliedSeq").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task A_follower_answers_a_write_with_an_Idempotency_Key_403_naming_the_leader()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);

        using var response = await SendAsync(cluster, HttpMethod.Put, "k", 1, "to-a-follower", node: cluster.Followers[0]);

        (await ClusterAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden)).GetProperty("leader").GetString().Should().Be(cluster.Leader.ToString());
    }

    private static async Task<HttpResponseMessage> SendAsync(InProcessCluster cluster, HttpMethod method, string key, object? value, string idempotencyKey, Uri? node = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(node ?? cluster.Leader, $"/kv/{Uri.EscapeDataString(key)}"));
        if (method == HttpMethod.Put)
        {
            request.Content = JsonContent.Create(new { value });
        }

        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey).Should().BeTrue();
        return await cluster.Http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SendRawAsync(InProcessCluster cluster, string key, string body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(cluster.Leader, $"/kv/{key}"))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey).Should().BeTrue();
        return await cluster.Http.SendAsync(request);
    }
}
