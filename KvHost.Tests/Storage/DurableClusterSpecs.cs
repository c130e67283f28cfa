using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Storage;

/// <summary>
/// Durable nodes in a real in-process cluster (real Kestrel, real Akka.Remote, real SQLite files):
/// each node has its own <c>DATA_DIR</c>, and a stopped node started again on the same port reads it.
/// </summary>
public sealed class DurableClusterSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);
    private readonly string _dataRoot = Directory.CreateTempSubdirectory("kvstore-durable-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dataRoot, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_cluster_stopped_whole_and_started_again_keeps_every_key_and_continues_the_log()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 3, writeQuorum: 2, dataRoot: _dataRoot);
        for (var i = 0; i < 40; i++)
        {
            (await cluster.PutAsync($"k{i % 15}", new { n = i })).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await cluster.Http.DeleteAsync(new Uri(cluster.Leader, "/kv/k3"))).StatusCode.Should().Be(HttpStatusCode.OK);
        await cluster.AssertConvergedAsync(Convergence);
        var before = await DataAsync(cluster, cluster.Leader);
        var statusBefore = await cluster.GetJsonAsync(cluster.Leader, "/status");

        await cluster.StopLeaderAsync();
        for (var i = 0; i < cluster.Followers.Count; i++)
        {
            await cluster.StopFollowerAsync(i);
        }

        for (var i = 0; i < cluster.Followers.Count; i++)
        {
            await cluster.StartFollowerAsync(i);
            (await DataAsync(cluster, cluster.Followers[i])).Should().Be(before, "a follower reads its own disk at start, before any leader runs");
        }

        await cluster.StartLeaderAsync();
        (await DataAsync(cluster, cluster.Leader)).Should().Be(before);
        var statusAfter = await cluster.GetJsonAsync(cluster.Leader, "/status");
        statusAfter.GetProperty("epoch").GetInt64().Should().BeGreaterThan(statusBefore.GetProperty("epoch").GetInt64(), "a restarted leader writes in a new epoch");
        statusAfter.GetProperty("appliedSeq").GetInt64().Should().Be(statusBefore.GetProperty("appliedSeq").GetInt64());

        var next = await cluster.PutAsync("after-restart", 1);
        next.StatusCode.Should().Be(HttpStatusCode.OK);
        (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64()
            .Should().Be(statusBefore.GetProperty("appliedSeq").GetInt64() + 1, "the log continues after the last entry it assigned");
        await cluster.AssertConvergedAsync(Convergence);
        foreach (var follower in cluster.Followers)
        {
            var status = await cluster.GetJsonAsync(follower, "/status");
            status.GetProperty("epoch").GetInt64().Should().Be(statusAfter.GetProperty("epoch").GetInt64());
            status.GetProperty("catchUp").GetProperty("snapshotsInstalled").GetInt64().Should().Be(0, "the leader's new epoch continues the one the followers hold: entries, no snapshot");
        }
    }

    [Fact]
    public async Task A_follower_restarted_with_its_disk_fetches_only_the_entries_it_missed()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 3, writeQuorum: 2, dataRoot: _dataRoot);
        for (var i = 0; i < 20; i++)
        {
            (await cluster.PutAsync($"a{i}", i)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await cluster.AssertConvergedAsync(Convergence);
        await cluster.StopFollowerAsync(0);
        for (var i = 0; i < 30; i++)
        {
            (await cluster.PutAsync($"b{i}", i)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await cluster.StartFollowerAsync(0);
        await cluster.AssertConvergedAsync(Convergence);
        var catchUp = (await cluster.GetJsonAsync(cluster.Followers[0], "/status")).GetProperty("catchUp");
        catchUp.GetProperty("snapshotsInstalled").GetInt64().Should().Be(0, "its own disk held the first 20 writes: a partial catch-up, no snapshot");
        catchUp.GetProperty("entriesFetched").GetInt64().Should().BeInRange(1, 30, "it fetched at most the 30 entries written while it was down");
    }

    // A node's data as /kv shows it: applied seq and items (values with their seqs), not its name.
    private static async Task<string> DataAsync(InProcessCluster cluster, Uri node)
    {
        var kv = await cluster.GetJsonAsync(node, "/kv");
        return $"{kv.GetProperty("appliedSeq")} {kv.GetProperty("items").GetRawText()}";
    }
}
