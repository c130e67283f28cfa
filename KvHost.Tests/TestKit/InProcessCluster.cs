using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvActors.Replication.Follower;
using KvHost.Hosting;
using Microsoft.AspNetCore.Builder;

namespace KvHost.Tests.TestKit;

/// <summary>
/// A real cluster in this process: a leader and N followers, each a full <see cref="KvNode"/> on its
/// own Kestrel listener on 127.0.0.1, talking real HTTP and JSON to each other.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    private readonly List<WebApplication> _nodes;

    private InProcessCluster(List<WebApplication> nodes, Uri leader, IReadOnlyList<Uri> followers)
    {
        _nodes = nodes;
        Leader = leader;
        Followers = followers;
    }

    public Uri Leader { get; }

    public IReadOnlyList<Uri> Followers { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<InProcessCluster> StartAsync(
        int followers = 5, int writeQuorum = 3, int maxDelayMs = 20, AckMode ackMode = AckMode.Received, int timeoutMs = 5000, int maxValueBytes = 1_048_576)
    {
        var nodes = new List<WebApplication>();
        var followerUrls = new List<Uri>();
        for (var i = 1; i <= followers; i++)
        {
            var app = KvNode.Build(Settings(NodeRole.Follower, $"follower{i}", [], 0, 0, ackMode, timeoutMs, maxValueBytes), IPAddress.Loopback);
            await app.StartAsync();
            nodes.Add(app);
            followerUrls.Add(new Uri(app.Urls.Single()));
        }

        var endpoints = followerUrls.Select((u, i) => new FollowerEndpoint($"follower{i + 1}", u)).ToList();
        var leader = KvNode.Build(Settings(NodeRole.Leader, "leader", endpoints, writeQuorum, maxDelayMs, ackMode, timeoutMs, maxValueBytes), IPAddress.Loopback);
        await leader.StartAsync();
        nodes.Add(leader);
        return new InProcessCluster(nodes, new Uri(leader.Urls.Single()), followerUrls);
    }

    public async Task<HttpResponseMessage> PutAsync(string key, object value, Uri? node = null) =>
        await Http.PutAsJsonAsync(new Uri(node ?? Leader, $"/kv/{Uri.EscapeDataString(key)}"), new { value });

    public async Task<JsonElement> GetJsonAsync(Uri node, string path) =>
        await Http.GetFromJsonAsync<JsonElement>(new Uri(node, path));

    /// <summary>Waits until every follower's <c>GET /kv</c> equals the leader's.</summary>
    public Task AssertConvergedAsync(TimeSpan within) => ClusterAssertions.AssertConvergedAsync(Http, Leader, Followers, within);

    /// <summary>Stops follower <paramref name="index"/> (0-based): its port then refuses connections.</summary>
    public async Task StopFollowerAsync(int index)
    {
        var node = _nodes[index];
        _nodes.RemoveAt(index);
        await node.StopAsync();
        await node.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Leader first, so nothing is still replicating to followers that are gone.
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            await _nodes[i].StopAsync();
            await _nodes[i].DisposeAsync();
        }

        Http.Dispose();
    }

    private static NodeSettings Settings(NodeRole role, string id, IReadOnlyList<FollowerEndpoint> followers, int writeQuorum, int maxDelayMs, AckMode ackMode, int timeoutMs, int maxValueBytes) =>
        new(role, id, Port: 0, followers, writeQuorum, TimeSpan.Zero, TimeSpan.FromMilliseconds(maxDelayMs),
            TimeSpan.FromMilliseconds(timeoutMs), ackMode, LeaderUrl: new Uri("http://leader.invalid:8080"), maxValueBytes);
}
