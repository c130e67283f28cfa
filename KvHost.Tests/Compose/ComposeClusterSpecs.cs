using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.TestKit;
using static KvHost.Tests.Compose.ComposeClusterFixture;

namespace KvHost.Tests.Compose;

/// <summary>The contract against six real containers (W=3, lag 0-300 ms, timeout 2000 ms).</summary>
[Collection(ComposeCollection.Name)]
[Trait("Category", "Compose")]
public sealed class ComposeClusterSpecs(ComposeClusterFixture cluster) : IAsyncLifetime
{
    // The fault suite runs the cluster with other settings; these specs are written against the standard ones.
    public Task InitializeAsync() => cluster.UseAsync(ClusterSettings.Standard);

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<MalformedRequests.Case> LeaderCases => [.. MalformedRequests.ForLeader(MaxValueBytes)];

    [Fact]
    public async Task A_write_on_the_leader_is_readable_with_the_same_seq_on_all_five_followers()
    {
        using var response = await PutAsync(Leader, "replicated", new { n = 1 });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var seq = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
        await Eventually.AssertAsync(
            async () =>
            {
                foreach (var follower in Followers)
                {
                    var item = await cluster.GetJsonAsync(follower, "/kv/replicated");
                    item.GetProperty("seq").GetInt64().Should().Be(seq);
                    item.GetProperty("value").GetProperty("n").GetInt32().Should().Be(1);
                }
            },
            Convergence);
    }

    [Fact]
    public async Task Followers_reject_client_writes_with_403_naming_the_leader_and_change_nothing()
    {
        await cluster.AssertConvergedAsync();
        var before = await cluster.GetJsonAsync(Followers[0], "/kv");

        foreach (var follower in Followers)
        {
            using var put = await PutAsync(follower, "sneaky", 1);
            using var delete = await cluster.Http.DeleteAsync(new Uri(follower, "/kv/sneaky"));
            foreach (var response in new[] { put, delete })
            {
                response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                problem.GetProperty("leader").GetString().Should().Be("http://leader:8080/");
                problem.GetProperty("detail").GetString().Should().Contain("leader");
            }
        }

        (await cluster.GetJsonAsync(Followers[0], "/kv")).GetRawText().Should().Be(before.GetRawText());
        using var onLeader = await cluster.Http.GetAsync(new Uri(Leader, "/kv/sneaky"));
        onLeader.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task With_W_3_the_answer_comes_only_after_three_followers_hold_the_write()
    {
        // With nothing else in flight, an entry held is an entry applied, so holding shows in reads.
        await cluster.AssertConvergedAsync();

        using var response = await PutAsync(Leader, "quorum", "w3");
        var answered = await response.Content.ReadFromJsonAsync<JsonElement>();
        var holders = await Task.WhenAll(Followers.Select(async f =>
        {
            using var read = await cluster.Http.GetAsync(new Uri(f, "/kv/quorum"));
            return read.IsSuccessStatusCode
                && (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64() == answered.GetProperty("seq").GetInt64();
        }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        answered.GetProperty("acks").GetInt32().Should().Be(WriteQuorum);
        holders.Count(held => held).Should().BeGreaterThanOrEqualTo(WriteQuorum);
    }

    [Fact]
    public async Task Concurrent_writes_10_at_a_time_leave_every_follower_equal_to_the_leader()
    {
        using var gate = new SemaphoreSlim(10);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await PutAsync(Leader, $"k{i % 10}", new { write = i });
                return response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));

        statuses.Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.OK));
        await cluster.AssertConvergedAsync();
        var leader = await cluster.GetJsonAsync(Leader, "/kv");
        leader.GetProperty("items").EnumerateObject().Select(p => p.Name).Should().Contain(Enumerable.Range(0, 10).Select(i => $"k{i}"));
    }

    [Fact]
    public async Task Percent_encoded_keys_are_stored_answered_and_listed_decoded_once_on_all_five_followers()
    {
        using var slash = await cluster.Http.PutAsJsonAsync(RawTarget.On(Leader, "/kv/dir%2Ffile"), new { value = "slash" });
        using var percent = await cluster.Http.PutAsJsonAsync(RawTarget.On(Leader, "/kv/100%25"), new { value = "percent" });

        slash.StatusCode.Should().Be(HttpStatusCode.OK);
        percent.StatusCode.Should().Be(HttpStatusCode.OK);
        (await slash.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString().Should().Be("dir/file");
        (await percent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString().Should().Be("100%");
        await Eventually.AssertAsync(
            async () =>
            {
                foreach (var follower in Followers)
                {
                    var item = await cluster.Http.GetFromJsonAsync<JsonElement>(RawTarget.On(follower, "/kv/dir%2Ffile"));
                    item.GetProperty("key").GetString().Should().Be("dir/file");
                    item.GetProperty("value").GetString().Should().Be("slash");
                    var items = (await cluster.GetJsonAsync(follower, "/kv")).GetProperty("items");
                    items.GetProperty("dir/file").GetProperty("value").GetString().Should().Be("slash");
                    items.GetProperty("100%").GetProperty("value").GetString().Should().Be("percent");
                }
            },
            Convergence);
    }

    [Fact]
    public async Task The_leader_and_a_follower_export_metrics_that_follow_a_write()
    {
        var before = await PrometheusScrape.ScrapeAsync(cluster.Http, Leader);
        var committedBefore = before.All("kvstore_writes_committed_total").Sum(s => s.Value);

        using var response = await PutAsync(Leader, "scraped", 1);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var seq = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
        var leader = await PrometheusScrape.ScrapeAsync(cluster.Http, Leader);
        leader.Value("kvstore_writes_committed_total").Should().Be(committedBefore + 1);
        leader.Value("kvstore_write_duration_seconds_count", ("outcome", "committed")).Should().BeGreaterThanOrEqualTo(1);
        leader.Value("kvstore_leader_recovering").Should().Be(0);
        await Eventually.AssertAsync(
            async () =>
            {
                var scraped = await PrometheusScrape.ScrapeAsync(cluster.Http, Leader);
                scraped.All("kvstore_follower_acked_seq").Should().HaveCount(5).And.AllSatisfy(s => s.Value.Should().BeGreaterThanOrEqualTo(seq));
                scraped.Value("kvstore_follower_acked_seq", ("follower", "follower1")).Should().BeGreaterThanOrEqualTo(seq);
                var follower = await PrometheusScrape.ScrapeAsync(cluster.Http, Followers[0]);
                follower.Value("kvstore_applied_seq").Should().BeGreaterThanOrEqualTo(seq);
                follower.All("kvstore_catchup_snapshots_installed_total").Should().ContainSingle();
            },
            Convergence);
    }

    [Fact]
    public async Task A_key_that_is_not_UTF8_once_decoded_is_a_400_on_the_leader_and_on_every_follower_and_changes_nothing()
    {
        await cluster.AssertConvergedAsync();
        var before = await cluster.GetJsonAsync(Leader, "/kv");

        using var put = await cluster.Http.PutAsJsonAsync(RawTarget.On(Leader, "/kv/%FF"), new { value = 1 });

        (await ClusterAssertions.AssertProblemAsync(put, HttpStatusCode.BadRequest)).GetProperty("detail").GetString().Should().Contain("UTF-8");
        foreach (var node in Followers.Prepend(Leader))
        {
            using var read = await cluster.Http.GetAsync(RawTarget.On(node, "/kv/%FF"));
            await ClusterAssertions.AssertProblemAsync(read, HttpStatusCode.BadRequest);
        }

        (await cluster.GetJsonAsync(Leader, "/kv")).GetRawText().Should().Be(before.GetRawText());
    }

    [Fact]
    public async Task A_read_with_minSeq_on_any_follower_sees_the_write_whose_answer_named_that_seq()
    {
        // W=3 of 5 with up to 300 ms of lag: when the leader answers, two followers may not hold the
        // write yet, and a plain read there could miss it; a read that names the seq never does.
        for (var round = 0; round < 5; round++)
        {
            using var put = await PutAsync(Leader, "read-your-writes", round);
            var seq = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();

            var reads = await Task.WhenAll(Followers.Select(f => cluster.Http.GetAsync(new Uri(f, $"/kv/read-your-writes?minSeq={seq}&maxWaitMs=5000"))));

            foreach (var read in reads)
            {
                using (read)
                {
                    read.StatusCode.Should().Be(HttpStatusCode.OK);
                    var item = await read.Content.ReadFromJsonAsync<JsonElement>();
                    item.GetProperty("seq").GetInt64().Should().BeGreaterThanOrEqualTo(seq);
                    item.GetProperty("value").GetInt32().Should().Be(round);
                }
            }
        }
    }

    [Fact]
    public async Task A_read_with_minSeq_past_the_leaders_last_write_answers_504_with_the_followers_appliedSeq()
    {
        var leaderSeq = (await cluster.GetJsonAsync(Leader, "/kv")).GetProperty("appliedSeq").GetInt64();
        var minSeq = leaderSeq + 1_000_000;

        using var read = await cluster.Http.GetAsync(new Uri(Followers[0], $"/kv?minSeq={minSeq}&maxWaitMs=300"));

        var problem = await ClusterAssertions.AssertProblemAsync(read, HttpStatusCode.GatewayTimeout);
        problem.GetProperty("type").GetString().Should().Be("urn:kvstore:problem:not-caught-up");
        problem.GetProperty("minSeq").GetInt64().Should().Be(minSeq);
        problem.GetProperty("appliedSeq").GetInt64().Should().BeLessThanOrEqualTo(leaderSeq);
    }

    [Theory]
    [MemberData(nameof(LeaderCases))]
    public async Task Malformed_input_gets_a_4xx_problem_document_and_changes_nothing(MalformedRequests.Case bad)
    {
        var before = await cluster.GetJsonAsync(Leader, "/kv");

        using var request = bad.ToRequest(Leader, ReplicationToken);
        using var response = await cluster.Http.SendAsync(request);

        await ClusterAssertions.AssertProblemAsync(response, bad.Expected);
        (await cluster.GetJsonAsync(Leader, "/kv")).GetRawText().Should().Be(before.GetRawText());
    }

    private async Task<HttpResponseMessage> PutAsync(Uri node, string key, object value) =>
        await cluster.Http.PutAsJsonAsync(new Uri(node, $"/kv/{key}"), new { value });
}
