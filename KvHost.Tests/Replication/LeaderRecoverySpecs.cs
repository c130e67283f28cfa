using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvActors.Replication.Follower;
using KvActors.Replication;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication;

/// <summary>A leader restarted empty recovers the cluster's data from its followers before it takes writes.</summary>
public sealed class LeaderRecoverySpecs
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Leader_restarted_empty_recovers_every_acknowledged_write_and_wipes_no_follower()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 3, writeQuorum: 2, ackMode: AckMode.Applied);
        for (var i = 0; i < 25; i++)
        {
            (await cluster.PutAsync($"k{i}", i)).EnsureSuccessStatusCode();
        }

        var before = await cluster.GetJsonAsync(cluster.Leader, "/status");
        var acknowledged = await cluster.GetJsonAsync(cluster.Leader, "/kv");

        await cluster.StopLeaderAsync();
        await cluster.StartLeaderAsync();

        var after = await cluster.GetJsonAsync(cluster.Leader, "/status");
        after.GetProperty("epoch").GetInt64().Should().BeGreaterThan(before.GetProperty("epoch").GetInt64());
        (await cluster.GetJsonAsync(cluster.Leader, "/kv")).GetProperty("items").GetRawText()
            .Should().Be(acknowledged.GetProperty("items").GetRawText(), "W=2 of 3 with applied acks: any 2 followers hold every acknowledged write");
        using var next = await cluster.PutAsync("after-restart", true);
        next.StatusCode.Should().Be(HttpStatusCode.OK);
        (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64().Should().Be(26, "the log continues after the recovered seq");
        await cluster.AssertConvergedAsync(Convergence);
        (await cluster.GetJsonAsync(cluster.Followers[0], "/kv")).GetProperty("items").EnumerateObject().Should().HaveCount(26);
    }

    [Fact]
    public async Task Leader_takes_no_request_until_N_minus_W_plus_1_followers_answered()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 3, writeQuorum: 2);
        (await cluster.PutAsync("kept", 1)).EnsureSuccessStatusCode();
        await cluster.AssertConvergedAsync(Convergence);
        await cluster.StopLeaderAsync();
        await cluster.StopFollowerAsync(0);
        await cluster.StopFollowerAsync(1);

        var starting = cluster.StartLeaderAsync();
        await Eventually.AssertAsync(
            async () =>
            {
                using var health = await cluster.Http.GetAsync(new Uri(cluster.Leader, "/health"));
                health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "1 of 3 followers answers, and W=2 needs 2");
            },
            TimeSpan.FromSeconds(10));
        using (var write = await cluster.PutAsync("early", 1))
        {
            await ClusterAssertions.AssertProblemAsync(write, HttpStatusCode.ServiceUnavailable);
        }

        await cluster.StartFollowerAsync(1);
        await starting;

        (await cluster.GetJsonAsync(cluster.Leader, "/kv/kept")).GetProperty("value").GetInt32().Should().Be(1);
        await cluster.StartFollowerAsync(0);
        await cluster.AssertConvergedAsync(Convergence);
    }

    [Fact]
    public async Task Leader_recovers_entries_one_follower_held_back_behind_an_entry_another_follower_had()
    {
        // W = 1, so that recovery waits for all three followers (N - W + 1): with W = 3 one answer
        // would do, and under load the one a round heard first could be the follower without 11 and 12.
        await using var cluster = await InProcessCluster.StartAsync(followers: 3, writeQuorum: 1);
        for (var i = 1; i <= 10; i++)
        {
            (await cluster.PutAsync($"k{i}", i)).EnsureSuccessStatusCode();
        }

        await cluster.AssertConvergedAsync(Convergence);
        var epoch = (await cluster.GetJsonAsync(cluster.Leader, "/status")).GetProperty("epoch").GetInt64();
        await cluster.StopLeaderAsync();

        // What the dead leader's last two pushes left behind: follower 0 got seq 11, follower 1 got
        // only seq 12 (acknowledged in received mode, held back behind the missing 11).
        await using (var deadLeader = new RemoteReplicator(TestCertificates.Cluster))
        {
            (await deadLeader.ReplicateAsync(cluster.FollowerStores[0], Entries.Put(11, "k11", 11, epoch))).Should().BeOfType<ReplicationMessages.Replicated>();
            (await deadLeader.ReplicateAsync(cluster.FollowerStores[1], Entries.Put(12, "k12", 12, epoch))).Should().BeOfType<ReplicationMessages.Replicated>();
        }

        await cluster.StartLeaderAsync();

        var recovered = await cluster.GetJsonAsync(cluster.Leader, "/kv");
        recovered.GetProperty("appliedSeq").GetInt64().Should().Be(12, "seq 11 from follower 0's state, then seq 12 from follower 1's held-back entries");
        recovered.GetProperty("items").GetProperty("k12").GetProperty("value").GetInt32().Should().Be(12);
        await cluster.AssertConvergedAsync(Convergence);
    }
}
