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
    public async Task Forged_replayed_far_ahead_and_stale_entries_change_no_follower()
    {
        for (var i = 0; i < 3; i++)
        {
            (await cluster.Http.PutAsJsonAsync(new Uri(Leader, $"/kv/forgery-target-{i}"), new { value = i })).EnsureSuccessStatusCode();
        }

        await cluster.AssertConvergedAsync();
        var status = await cluster.GetJsonAsync(Leader, "/status");
        var (epoch, seq) = (status.GetProperty("epoch").GetInt64(), status.GetProperty("appliedSeq").GetInt64());
        object Entry(long e, long s, string value) => new { epoch = e, seq = s, op = "put", key = "forgery-target-0", value };
        var attempts = new (string Name, object Body, string? Authorization, HttpStatusCode Expected)[]
        {
            ("no token", Entry(epoch, seq + 1, "forged"), null, HttpStatusCode.Unauthorized),
            ("wrong token", Entry(epoch, seq + 1, "forged"), "Bearer guessed-replication-token", HttpStatusCode.Unauthorized),
            ("replay of an applied seq with other content", Entry(epoch, seq, "replayed"), "Bearer " + ReplicationToken, HttpStatusCode.OK),
            ("entry far ahead of the log", Entry(epoch, seq + 1_000_000, "ahead"), "Bearer " + ReplicationToken, HttpStatusCode.Conflict),
            ("entry of an older epoch", Entry(epoch - 1, seq + 1, "stale"), "Bearer " + ReplicationToken, HttpStatusCode.Conflict),
        };

        var asExpected = attempts.ToDictionary(a => a.Name, _ => 0);
        var changed = 0;
        foreach (var follower in Followers)
        {
            var before = (await cluster.GetJsonAsync(follower, "/kv")).GetRawText();
            foreach (var (name, body, authorization, expected) in attempts)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(follower, "/replication/entries")) { Content = JsonContent.Create(body) };
                if (authorization is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                }

                using var response = await cluster.Http.SendAsync(request);
                asExpected[name] += response.StatusCode == expected ? 1 : 0;
            }

            changed += (await cluster.GetJsonAsync(follower, "/kv")).GetRawText() == before ? 0 : 1;
        }

        // Counted before asserting, so RELIABILITY.md's figures come from this run whatever it found.
        if (Environment.GetEnvironmentVariable(Faults.ScenarioFigures.OutputVariable) is { Length: > 0 } path)
        {
            var figures = new
            {
                test = "ForgedReplication",
                attempts = attempts.Select(a => new { name = a.Name, sent = Followers.Count, asExpected = asExpected[a.Name], followersChanged = changed }),
            };
            await File.AppendAllTextAsync(path, JsonSerializer.Serialize(figures) + Environment.NewLine);
        }

        asExpected.Should().AllSatisfy(a => a.Value.Should().Be(Followers.Count, $"every follower answers '{a.Key}' with {attempts.Single(x => x.Name == a.Key).Expected}"));
        changed.Should().Be(0, "no forged, replayed, far-ahead or stale entry may change a follower");

        await cluster.AssertConvergedAsync();
    }
}
