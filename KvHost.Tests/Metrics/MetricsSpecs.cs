using System.Net;
using System.Net.Http.Json;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Metrics;

/// <summary>
/// <c>GET /metrics</c> on real nodes (in-process cluster, real Kestrel): the series a dashboard
/// scrapes exist and move with what the nodes do. Each node's scrape holds only its own series,
/// though six nodes share this process.
/// </summary>
public sealed class MetricsSpecs
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Leader_counts_each_200_as_committed_and_records_its_latency_in_the_histogram()
    {
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 3);

        for (var i = 0; i < 20; i++)
        {
            using var response = await cluster.PutAsync($"k{i % 4}", i);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var scrape = await PrometheusScrape.ScrapeAsync(cluster.Http, cluster.Leader);
        scrape.Value("kvstore_writes_committed_total").Should().Be(20);
        scrape.All("kvstore_writes_not_committed_total").Sum(s => s.Value).Should().Be(0);
        scrape.Types["kvstore_write_duration_seconds"].Should().Be("histogram");
        scrape.Value("kvstore_write_duration_seconds_count", ("outcome", "committed")).Should().Be(20);
        scrape.Value("kvstore_write_duration_seconds_sum", ("outcome", "committed")).Should().BeGreaterThan(0);
        var buckets = scrape.All("kvstore_write_duration_seconds_bucket", ("outcome", "committed")).ToList();
        buckets.Select(b => b.Labels["le"]).Should().Contain(["0.0001", "0.001", "0.01", "0.1", "1", "10", "+Inf"], "the buckets span 0.1 ms to 10 s");
        buckets.Single(b => b.Labels["le"] == "+Inf").Value.Should().Be(20);
        buckets.Should().BeInAscendingOrder(b => b.Value, "buckets are cumulative");
    }

    [Fact]
    public async Task A_retry_answered_from_its_Idempotency_Key_is_not_counted_as_another_write()
    {
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 1);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(cluster.Leader, "/kv/retried")) { Content = JsonContent.Create(new { value = 1 }) };
            request.Headers.Add("Idempotency-Key", "metrics-retry");
            using var response = await cluster.Http.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var scrape = await PrometheusScrape.ScrapeAsync(cluster.Http, cluster.Leader);
        scrape.Value("kvstore_writes_committed_total").Should().Be(1, "the two retries wrote nothing");
        scrape.Value("kvstore_write_duration_seconds_count", ("outcome", "committed")).Should().Be(1);
    }

    [Fact]
    public async Task Leader_reports_every_follower_acknowledging_the_last_seq_with_no_lag_and_every_node_its_applied_seq()
    {
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 1);
        for (var i = 0; i < 10; i++)
        {
            (await cluster.PutAsync($"k{i}", i)).EnsureSuccessStatusCode();
        }

        var followers = await FollowerNamesAsync(cluster);
        await Eventually.AssertAsync(
            async () =>
            {
                var leader = await PrometheusScrape.ScrapeAsync(cluster.Http, cluster.Leader);
                leader.Value("kvstore_applied_seq").Should().Be(10);
                leader.Value("kvstore_leader_recovering").Should().Be(0);
                foreach (var follower in followers)
                {
                    leader.Value("kvstore_follower_acked_seq", ("follower", follower)).Should().Be(10);
                    leader.Value("kvstore_follower_applied_seq", ("follower", follower)).Should().Be(10);
                    leader.Value("kvstore_follower_lag", ("follower", follower)).Should().Be(0);
                    leader.Value("kvstore_follower_lag_time_seconds", ("follower", follower)).Should().Be(0);
                    leader.Value("kvstore_follower_state", ("follower", follower), ("state", "streaming")).Should().Be(1);
                }
            },
            Convergence);
        for (var i = 0; i < cluster.Followers.Count; i++)
        {
            await Eventually.AssertAsync(
                async () => (await PrometheusScrape.ScrapeAsync(cluster.Http, cluster.Followers[i])).Value("kvstore_applied_seq").Should().Be(10),
                Convergence);
        }

        var first = await PrometheusScrape.ScrapeAsync(cluster.Http, cluster.Followers[0]);
        first.All("kvstore_follower_acked_seq").Should().BeEmpty("a follower exports its own series only, not the leader's of this process");
        first.All("kvstore_writes_committed_total").Should().BeEmpty();
        first.All("kvstore_applied_seq").Should().ContainSingle();
    }

    [Fact]
    public async Task A_write_that_misses_its_quorum_counts_as_not_committed()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 2, writeQuorum: 2, timeoutMs: 1000);
        await cluster.StopFollowerAsync(1);

        using var response = await cluster.PutAsync("k", "v");

        response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        var scrape = await PrometheusScrape.ScrapeAsync(cluster.Http, cluster.Leader);
        scrape.Value("kvstore_writes_not_committed_total").Should().Be(1);
        scrape.All("kvstore_writes_committed_total").Sum(s => s.Value).Should().Be(0);
        scrape.Value("kvstore_write_duration_seconds_count", ("outcome", "not_committed")).Should().Be(1);
        scrape.Value("kvstore_write_duration_seconds_sum", ("outcome", "not_committed")).Should().BeGreaterThanOrEqualTo(1, "a 504 comes after REPLICATION_TIMEOUT_MS");
    }

    [Fact]
    public async Task A_follower_restarted_empty_counts_the_snapshot_it_installed()
    {
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 1);
        await cluster.StopFollowerAsync(0);
        for (var i = 0; i < 10; i++)
        {
            (await cluster.PutAsync($"k{i}", i)).EnsureSuccessStatusCode();
        }

        await cluster.StartFollowerAsync(0);

        // It came back empty, in no epoch: only a snapshot brings it up, and nothing was written since.
        await Eventually.AssertAsync(
            async () =>
            {
                var scrape = await PrometheusScrape.ScrapeAsync(cluster.Http, cluster.Followers[0]);
                scrape.Value("kvstore_applied_seq").Should().Be(10);
                scrape.Value("kvstore_catchup_snapshots_installed_total").Should().BeGreaterThanOrEqualTo(1);
                scrape.Value("kvstore_catchups_total").Should().BeGreaterThanOrEqualTo(1, "the sync that brought the snapshot is a catch-up");
                scrape.Value("kvstore_catchup_entries_fetched_total").Should().Be(0);
                scrape.Value("kvstore_held_back").Should().Be(0);
            },
            Convergence);
    }

    [Fact]
    public async Task A_restarted_leader_reports_recovering_until_enough_followers_answer()
    {
        // W=3 of 5: a restarted leader needs N - W + 1 = 3 followers' answers before it takes writes.
        await using var cluster = await InProcessCluster.StartAsync(writeQuorum: 3);
        (await cluster.PutAsync("k", 1)).EnsureSuccessStatusCode();
        await cluster.StopLeaderAsync();
        for (var i = 0; i < 3; i++)
        {
            await cluster.StopFollowerAsync(i);
        }

        await cluster.StartLeaderAsync(waitUntilReady: false);

        var recovering = await PrometheusScrape.ScrapeAsync(cluster.Http, cluster.Leader);
        recovering.Value("kvstore_leader_recovering").Should().Be(1);
        recovering.Value("kvstore_epoch").Should().Be(0);
        await cluster.StartFollowerAsync(0);
        await Eventually.AssertAsync(
            async () => (await PrometheusScrape.ScrapeAsync(cluster.Http, cluster.Leader)).Value("kvstore_leader_recovering").Should().Be(0),
            TimeSpan.FromSeconds(30));
    }

    // The leader names each follower by its actor path's host and port, as /status does.
    private static async Task<IReadOnlyList<string>> FollowerNamesAsync(InProcessCluster cluster)
    {
        var status = await cluster.GetJsonAsync(cluster.Leader, "/status");
        return [.. status.GetProperty("followers").EnumerateArray().Select(f => f.GetProperty("node").GetString()!)];
    }
}
