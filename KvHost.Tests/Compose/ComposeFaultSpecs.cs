using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.TestKit;
using static KvHost.Tests.Compose.ComposeClusterFixture;

namespace KvHost.Tests.Compose;

/// <summary>
/// Specs that break the real cluster on purpose (stopped followers, a forged epoch), and recreate it
/// afterwards so the rest of the suite finds it whole.
/// </summary>
[Collection(ComposeCollection.Name)]
[Trait("Category", "Compose")]
public sealed class ComposeFaultSpecs(ComposeClusterFixture cluster) : IAsyncLifetime
{
    // The fault suite runs the cluster with other settings; these specs are written against the standard ones.
    public Task InitializeAsync() => cluster.UseAsync(ClusterSettings.Standard);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task With_fewer_than_W_followers_running_a_write_answers_504_with_acks_and_quorum_in_time()
    {
        try
        {
            await cluster.ComposeAsync("stop", "-t", "1", "follower3", "follower4", "follower5");
            var clock = Stopwatch.StartNew();

            using var response = await cluster.Http.PutAsJsonAsync(new Uri(Leader, "/kv/unlucky"), new { value = 1 });
            clock.Stop();

            response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(ReplicationTimeoutMs + 3000), "the 504 comes at REPLICATION_TIMEOUT_MS, plus a margin");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("acks").GetInt32().Should().BeLessThan(WriteQuorum);
            problem.GetProperty("writeQuorum").GetInt32().Should().Be(WriteQuorum);
            problem.GetProperty("seq").GetInt64().Should().BePositive();
            (await cluster.GetJsonAsync(Leader, "/kv/unlucky")).GetProperty("value").GetInt32().Should().Be(1, "the write is applied on the leader and not rolled back");
        }
        finally
        {
            await cluster.RestartAsync();
        }
    }

    [Fact]
    public async Task Out_of_order_and_duplicate_entries_leave_a_follower_consistent()
    {
        var follower = Followers[4];
        try
        {
            // A newer epoch than the real leader's, so the real leader's own entries cannot interleave.
            var epoch = (await cluster.GetJsonAsync(Leader, "/status")).GetProperty("epoch").GetInt64() + 1;
            object Entry(long seq, string op, string key, object? value = null) =>
                value is null ? new { epoch, seq, op, key } : new { epoch, seq, op, key, value };

            var deliveries = new[]
            {
                Entry(3, "put", "b", "b@3"),
                Entry(2, "put", "a", "a@2"),
                Entry(2, "put", "a", "a@2"),
                Entry(4, "delete", "c"),
                Entry(1, "put", "c", "c@1"),
                Entry(3, "put", "b", "b@3"),
                Entry(1, "put", "c", "c@1"),
            };
            foreach (var entry in deliveries)
            {
                using var response = await cluster.Http.PostAsJsonAsync(new Uri(follower, "/replication/entries"), entry);
                response.StatusCode.Should().Be(HttpStatusCode.OK);
            }

            var state = await cluster.GetJsonAsync(follower, "/kv");
            state.GetProperty("appliedSeq").GetInt64().Should().Be(4);
            var items = state.GetProperty("items");
            items.EnumerateObject().Select(p => p.Name).Should().Equal("a", "b");
            items.GetProperty("a").GetProperty("seq").GetInt64().Should().Be(2);
            items.GetProperty("b").GetProperty("value").GetString().Should().Be("b@3");
            (await cluster.GetJsonAsync(follower, "/status")).GetProperty("heldBack").GetInt32().Should().Be(0);
        }
        finally
        {
            await cluster.RestartAsync();
        }
    }
}
