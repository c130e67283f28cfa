using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.Compose.Faults;
using KvHost.Tests.TestKit;
using static KvHost.Tests.Compose.ComposeClusterFixture;

namespace KvHost.Tests.Compose;

/// <summary>
/// Durable nodes in the six real containers, each with its named data volume (<c>DATA_DIR=/data</c>):
/// what <c>make down</c> then <c>make up</c> keeps, and a log file torn by a crash. Kills under load
/// are the fault suite's (<see cref="A_single_fault_under_steady_write_load"/>).
/// </summary>
[Collection(ComposeCollection.Name)]
[Trait("Category", "Compose")]
public sealed class ComposeDurabilitySpecs(ComposeClusterFixture cluster) : IAsyncLifetime
{
    public Task InitializeAsync() => cluster.UseAsync(ClusterSettings.Standard);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Down_then_up_keeps_every_key_on_every_node()
    {
        var prefix = $"downup-{Guid.NewGuid():N}"[..16];
        for (var i = 0; i < 30; i++)
        {
            (await cluster.Http.PutAsJsonAsync(new Uri(Leader, $"/kv/{prefix}-{i}"), new { value = new { i } })).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await cluster.AssertConvergedAsync();
        var before = await ItemsAsync(Leader, prefix);

        await cluster.DownAndUpAsync();

        (await ItemsAsync(Leader, prefix)).Should().Be(before, "the leader's volume kept every key");
        (await cluster.Http.PutAsJsonAsync(new Uri(Leader, $"/kv/{prefix}-after"), new { value = 1 })).StatusCode.Should().Be(HttpStatusCode.OK);
        await cluster.AssertConvergedAsync();
    }

    [Fact]
    public async Task A_torn_tail_of_a_killed_followers_log_is_cut_off_logged_and_caught_up()
    {
        var service = $"follower{FaultInjection.TargetFollower}";
        var prefix = $"torn-{Guid.NewGuid():N}"[..14];
        for (var i = 0; i < 20; i++)
        {
            (await cluster.Http.PutAsJsonAsync(new Uri(Leader, $"/kv/{prefix}-{i}"), new { value = i })).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await cluster.AssertConvergedAsync();
        cluster.MarkBroken();
        var container = await HostCommand.ContainerOfAsync(service);
        await HostCommand.RunAsync("docker", "kill", "-s", "KILL", container);

        // What a crash in the middle of a write leaves: the last frame of its write-ahead log cut short.
        await HostCommand.RunAsync(
            "docker", "run", "--rm", "-v", $"kvstore_{service}-data:/data", "--entrypoint", "truncate",
            "kvstore/node:dev", "-s", "-100", "/data/kvstore.db-wal");
        for (var i = 20; i < 30; i++)
        {
            (await cluster.Http.PutAsJsonAsync(new Uri(Leader, $"/kv/{prefix}-{i}"), new { value = i })).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await cluster.ComposeAsync("start", service);

        await cluster.AssertConvergedAsync();
        var logs = await HostCommand.RunAsync("docker", "logs", container);
        logs.Should().Contain("torn write of", "the node says it cut off a torn tail");
        (await ItemsAsync(Followers[FaultInjection.TargetFollower - 1], prefix)).Should().Be(await ItemsAsync(Leader, prefix));
    }

    // The keys under one prefix with their values and seqs, as JSON text: what must survive.
    private async Task<string> ItemsAsync(Uri node, string prefix)
    {
        var kv = await cluster.GetJsonAsync(node, "/kv");
        return string.Join('\n', kv.GetProperty("items").EnumerateObject()
            .Where(item => item.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(item => $"{item.Name} {item.Value.GetRawText()}"));
    }
}
