using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.TestKit;
using static KvHost.Tests.Compose.ComposeClusterFixture;

namespace KvHost.Tests.Compose;

/// <summary>Retried writes with an <c>Idempotency-Key</c> against the six real containers (W=3, lag 0-300 ms).</summary>
[Collection(ComposeCollection.Name)]
[Trait("Category", "Compose")]
public sealed class ComposeIdempotencySpecs(ComposeClusterFixture cluster) : IAsyncLifetime
{
    public Task InitializeAsync() => cluster.UseAsync(ClusterSettings.Standard);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_retried_write_gets_its_first_seq_back_and_the_leader_applies_it_once_while_a_reused_key_is_a_422()
    {
        var idempotencyKey = $"compose-{Guid.NewGuid()}";
        using var first = await PutAsync("idempotent", new { n = 1 }, idempotencyKey);
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        var seq = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
        var before = (await cluster.GetJsonAsync(Leader, "/kv")).GetProperty("appliedSeq").GetInt64();

        using var retry = await PutAsync("idempotent", new { n = 1 }, idempotencyKey);
        using var reused = await PutAsync("idempotent", new { n = 2 }, idempotencyKey);

        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64().Should().Be(seq);
        (await ClusterAssertions.AssertProblemAsync(reused, HttpStatusCode.UnprocessableEntity))
            .GetProperty("type").GetString().Should().Be("urn:kvstore:problem:idempotency-key-reused");
        (await cluster.GetJsonAsync(Leader, "/kv")).GetProperty("appliedSeq").GetInt64().Should().Be(before, "neither the retry nor the reused key was applied");
        (await cluster.GetJsonAsync(Leader, "/kv/idempotent")).GetProperty("seq").GetInt64().Should().Be(seq);
    }

    private async Task<HttpResponseMessage> PutAsync(string key, object value, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(Leader, $"/kv/{key}")) { Content = JsonContent.Create(new { value }) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await cluster.Http.SendAsync(request);
    }
}
