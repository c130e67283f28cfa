using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.CatchUp;

/// <summary>Followers that missed entries fetch them from the leader: real nodes over loopback HTTP.</summary>
public sealed class CatchUpSpecs
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Follower_restarted_empty_resyncs_from_a_snapshot_and_converges_without_new_writes()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 3, writeQuorum: 2);
        for (var i = 0; i < 20; i++)
        {
            (await cluster.PutAsync($"k{i % 7}", i)).EnsureSuccessStatusCode();
        }

        await cluster.StopFollowerAsync(2);
        for (var i = 20; i < 30; i++)
        {
            (await cluster.PutAsync($"k{i % 7}", i)).EnsureSuccessStatusCode();
        }

        await cluster.StartFollowerAsync(2);

        await cluster.AssertConvergedAsync(Convergence);
        var catchUp = (await cluster.GetJsonAsync(cluster.Followers[2], "/status")).GetProperty("catchUp");
        catchUp.GetProperty("snapshotsInstalled").GetInt64().Should().BeGreaterThanOrEqualTo(1, "it came back empty, in no epoch: only a snapshot can bring it up");
        catchUp.GetProperty("state").GetString().Should().Be("synced");
    }

    [Fact]
    public async Task Leader_serves_the_entries_after_a_seq_and_asks_for_a_full_resync_once_its_backlog_no_longer_reaches()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1, replicationLogEntries: 5);
        for (var i = 1; i <= 8; i++)
        {
            (await cluster.PutAsync($"k{i}", i)).EnsureSuccessStatusCode();
        }

        var epoch = (await cluster.GetJsonAsync(cluster.Leader, "/status")).GetProperty("epoch").GetInt64();

        var partial = await CatchUpAsync(cluster, $"epoch={epoch}&after=5&limit=2");
        var tooOld = await CatchUpAsync(cluster, $"epoch={epoch}&after=2");
        var otherEpoch = await CatchUpAsync(cluster, $"epoch={epoch - 1}&after=8");

        partial.GetProperty("fullResync").GetBoolean().Should().BeFalse();
        partial.GetProperty("leaderSeq").GetInt64().Should().Be(8);
        partial.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).Should().Equal(6, 7);
        tooOld.GetProperty("fullResync").GetBoolean().Should().BeTrue("a backlog of 5 entries holds seq 4 to 8, not 3");
        otherEpoch.GetProperty("fullResync").GetBoolean().Should().BeTrue("another epoch's seq 8 need not be this leader's seq 8");
        tooOld.GetProperty("entries").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Leader_status_shows_each_followers_state_lag_and_write_counters()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 2, writeQuorum: 1, timeoutMs: 1000);
        (await cluster.PutAsync("a", 1)).EnsureSuccessStatusCode();
        await cluster.StopFollowerAsync(1);

        (await cluster.PutAsync("b", 2)).EnsureSuccessStatusCode();

        await Eventually.AssertAsync(
            async () =>
            {
                var status = await cluster.GetJsonAsync(cluster.Leader, "/status");
                var followers = status.GetProperty("followers").EnumerateArray().ToList();
                followers[0].GetProperty("state").GetString().Should().Be("streaming");
                followers[0].GetProperty("lag").GetInt64().Should().Be(0);
                followers[0].GetProperty("lagMs").GetInt64().Should().Be(0);
                followers[1].GetProperty("state").GetString().Should().Be("unreachable");
                followers[1].GetProperty("lag").GetInt64().Should().BeGreaterThanOrEqualTo(1, "it missed 'b' (and its last report may predate 'a' being applied)");
                followers[1].GetProperty("lagMs").GetInt64().Should().BePositive();
                followers[1].GetProperty("lastError").GetString().Should().NotBeNullOrEmpty();
                status.GetProperty("writes").GetProperty("committed").GetInt64().Should().Be(2);
            },
            TimeSpan.FromSeconds(10));
    }

    private static async Task<JsonElement> CatchUpAsync(InProcessCluster cluster, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster.Leader, "/replication/entries?" + query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", InProcessCluster.Token);
        using var response = await cluster.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
