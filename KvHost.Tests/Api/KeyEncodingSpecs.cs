using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvActors.Replication.Follower;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Api;

/// <summary>
/// A key is its path segment percent-decoded once: stored, answered, listed and deleted as that
/// decoded key on every node (real Kestrel, so its own half-decoding of the path is in the way).
/// </summary>
public sealed class KeyEncodingSpecs : IAsyncLifetime
{
    private InProcessCluster _cluster = null!;

    public static TheoryData<string, string> EncodedKeys => new()
    {
        { "dir%2Ffile", "dir/file" },
        { "100%25", "100%" },
        { "a%252Fb", "a%2Fb" },           // decoded once: Kestrel hands routing a%2Fb for this and for a%2Fb alike
        { "%2F", "/" },
        { "caf%C3%A9", "café" },
        { "a+b", "a+b" },                 // a path is not a form: '+' is a plus
        { "%7Bx%7D%3Fy%23z", "{x}?y#z" },
    };

    // W=2 of 2 in applied mode: a 200 means both followers have applied the write, so they are read at once.
    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync(followers: 2, writeQuorum: 2, ackMode: AckMode.Applied);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [MemberData(nameof(EncodedKeys))]
    public async Task A_percent_encoded_key_is_stored_answered_listed_and_deleted_as_its_decoded_text_on_every_node(string segment, string key)
    {
        using var put = await _cluster.Http.PutAsJsonAsync(RawTarget.On(_cluster.Leader, "/kv/" + segment), new { value = segment });

        var written = await Ok(put);
        written.GetProperty("key").GetString().Should().Be(key);
        var seq = written.GetProperty("seq").GetInt64();
        foreach (var node in _cluster.Followers.Prepend(_cluster.Leader))
        {
            var item = await Ok(await _cluster.Http.GetAsync(RawTarget.On(node, "/kv/" + segment)));
            item.GetProperty("key").GetString().Should().Be(key, $"{node} answers with the decoded key");
            item.GetProperty("seq").GetInt64().Should().Be(seq);
            var listed = await _cluster.GetJsonAsync(node, "/kv");
            listed.GetProperty("items").TryGetProperty(key, out var entry).Should().BeTrue($"{node} lists the decoded key");
            entry.GetProperty("value").GetString().Should().Be(segment);
        }

        using var delete = await _cluster.Http.DeleteAsync(RawTarget.On(_cluster.Leader, "/kv/" + segment));
        (await Ok(delete)).GetProperty("key").GetString().Should().Be(key);
        foreach (var node in _cluster.Followers.Prepend(_cluster.Leader))
        {
            using var gone = await _cluster.Http.GetAsync(RawTarget.On(node, "/kv/" + segment));
            var problem = await ClusterAssertions.AssertProblemAsync(gone, HttpStatusCode.NotFound);
            problem.GetProperty("key").GetString().Should().Be(key);
        }
    }

    [Fact]
    public async Task Keys_escaped_with_Uri_EscapeDataString_as_the_perf_client_sends_them_come_back_unchanged()
    {
        string[] keys = ["dir/sub/file", "100%", "a b", "ключ", "a?b#c", "%2F"];

        foreach (var key in keys)
        {
            using var put = await _cluster.PutAsync(key, key);
            (await Ok(put)).GetProperty("key").GetString().Should().Be(key);
        }

        foreach (var node in _cluster.Followers.Prepend(_cluster.Leader))
        {
            var listed = await _cluster.GetJsonAsync(node, "/kv");
            var items = listed.GetProperty("items").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString());
            items.Should().BeEquivalentTo(keys.ToDictionary(k => k, k => (string?)k), $"{node} holds each key as the client meant it");
        }
    }

    [Fact]
    public async Task Encoded_and_doubly_encoded_slashes_are_two_different_keys()
    {
        using var single = await _cluster.Http.PutAsJsonAsync(RawTarget.On(_cluster.Leader, "/kv/x%2Fy"), new { value = "slash" });
        using var twice = await _cluster.Http.PutAsJsonAsync(RawTarget.On(_cluster.Leader, "/kv/x%252Fy"), new { value = "percent-2F" });

        (await Ok(single)).GetProperty("key").GetString().Should().Be("x/y");
        (await Ok(twice)).GetProperty("key").GetString().Should().Be("x%2Fy");
        var items = (await _cluster.GetJsonAsync(_cluster.Followers[0], "/kv")).GetProperty("items");
        items.GetProperty("x/y").GetProperty("value").GetString().Should().Be("slash");
        items.GetProperty("x%2Fy").GetProperty("value").GetString().Should().Be("percent-2F");
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.OK, body);
            return JsonSerializer.Deserialize<JsonElement>(body);
        }
    }
}
