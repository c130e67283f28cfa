using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.Compose.Faults;
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
    public async Task A_process_without_the_cluster_certificate_cannot_change_a_follower()
    {
        for (var i = 0; i < 3; i++)
        {
            (await cluster.Http.PutAsJsonAsync(new Uri(Leader, $"/kv/forgery-target-{i}"), new { value = i })).EnsureSuccessStatusCode();
        }

        await cluster.AssertConvergedAsync();
        var before = await Task.WhenAll(Followers.Select(async f => (await cluster.GetJsonAsync(f, "/kv")).GetRawText()));

        // A kvstore leader of its own on the compose network: the same image, FOLLOWERS and token,
        // but another certificate (same subject, another key). It must never get past the handshake.
        var impostorCerts = Directory.CreateTempSubdirectory("kvstore-impostor-");
        var attempts = new List<(string Name, int Sent, int AsExpected)>();
        try
        {
            await HostCommand.RunAsync("bash", Path.Combine(ComposeClusterFixture.RepositoryRoot(), "scripts", "cluster-cert.sh"), impostorCerts.FullName);
            var followers = string.Join(',', Enumerable.Range(1, Followers.Count).Select(i => $"akka.ssl.tcp://kv@follower{i}:4053/user/store"));
            await HostCommand.RunAsync(
                "docker", "run", "-d", "--name", ImpostorName, "--network", "kvstore_default", "--hostname", "impostor",
                "-v", $"{impostorCerts.FullName}:/certs:ro",
                "-e", "ROLE=leader", "-e", "NODE_ID=impostor", "-e", $"FOLLOWERS={followers}", "-e", "WRITE_QUORUM=1",
                "-e", $"REPLICATION_TOKEN={ReplicationToken}", "-e", "CLUSTER_CERTIFICATE=/certs/cluster.pfx",
                "kvstore/node:dev");

            // Recovery asks every follower for its position at once; each follower refuses the handshake.
            var refusedBy = new HashSet<string>();
            await Eventually.AssertAsync(
                async () =>
                {
                    for (var i = 1; i <= Followers.Count; i++)
                    {
                        var logs = await HostCommand.RunAsync("docker", "logs", await HostCommand.ContainerOfAsync($"follower{i}"));
                        if (logs.Contains("does not chain to the cluster certificate", StringComparison.Ordinal))
                        {
                            refusedBy.Add($"follower{i}");
                        }
                    }

                    refusedBy.Should().HaveCount(Followers.Count, "every follower refuses the impostor's certificate");
                },
                TimeSpan.FromSeconds(30));
            attempts.Add(("replication over Akka.Remote with another certificate", Followers.Count, refusedBy.Count));

            var impostorLogs = await HostCommand.RunAsync("docker", "logs", ImpostorName);
            impostorLogs.Should().NotContain("ready: epoch", "the impostor never hears a follower, so it never starts an epoch");

            // Pushes are not HTTP any more: even with the token, a POSTed entry is refused.
            var pushes = 0;
            foreach (var follower in Followers)
            {
                using var push = new HttpRequestMessage(HttpMethod.Post, new Uri(follower, "/replication/entries"))
                {
                    Content = JsonContent.Create(new { epoch = long.MaxValue, seq = 1, op = "put", key = "forgery-target-0", value = "forged" }),
                };
                push.Headers.Authorization = new("Bearer", ReplicationToken);
                using var response = await cluster.Http.SendAsync(push);
                pushes += response.StatusCode == HttpStatusCode.MethodNotAllowed ? 1 : 0;
            }

            attempts.Add(("entry POSTed over HTTP with the token", Followers.Count, pushes));
        }
        finally
        {
            await HostCommand.RunAsync("docker", "rm", "-f", ImpostorName);
            impostorCerts.Delete(recursive: true);
        }

        var after = await Task.WhenAll(Followers.Select(async f => (await cluster.GetJsonAsync(f, "/kv")).GetRawText()));
        var changed = before.Zip(after).Count(p => p.First != p.Second);

        // Counted before asserting, so RELIABILITY.md's figures come from this run whatever it found.
        if (Environment.GetEnvironmentVariable(Faults.ScenarioFigures.OutputVariable) is { Length: > 0 } path)
        {
            var figures = new
            {
                test = "ForgedReplication",
                attempts = attempts.Select(a => new { name = a.Name, sent = a.Sent, asExpected = a.AsExpected, followersChanged = changed }),
            };
            await File.AppendAllTextAsync(path, JsonSerializer.Serialize(figures) + Environment.NewLine);
        }

        attempts.Should().AllSatisfy(a => a.AsExpected.Should().Be(a.Sent, a.Name));
        changed.Should().Be(0, "nothing from outside the cluster may change a follower");
        (await cluster.Http.PutAsJsonAsync(new Uri(Leader, "/kv/after-the-impostor"), new { value = 1 })).EnsureSuccessStatusCode();
        await cluster.AssertConvergedAsync();
    }

    private const string ImpostorName = "kvstore-impostor";
}
