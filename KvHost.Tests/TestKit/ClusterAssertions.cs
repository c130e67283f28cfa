using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace KvHost.Tests.TestKit;

/// <summary>Assertions shared by the in-process and compose suites, so both hold nodes to one standard.</summary>
public static class ClusterAssertions
{
    /// <summary>
    /// Waits until every follower's <c>GET /kv</c> equals the leader's: the same applied seq and the
    /// same items, byte for byte (each node writes its items in ordinal key order).
    /// </summary>
    public static Task AssertConvergedAsync(HttpClient http, Uri leader, IEnumerable<Uri> followers, TimeSpan within) =>
        Eventually.AssertAsync(
            async () =>
            {
                var expected = await http.GetFromJsonAsync<JsonElement>(new Uri(leader, "/kv"));
                foreach (var follower in followers)
                {
                    var state = await http.GetFromJsonAsync<JsonElement>(new Uri(follower, "/kv"));
                    state.GetProperty("appliedSeq").GetInt64().Should().Be(expected.GetProperty("appliedSeq").GetInt64(), $"{follower} applied seq");
                    state.GetProperty("items").GetRawText().Should().Be(expected.GetProperty("items").GetRawText(), $"{follower} items");
                }
            },
            within);

    /// <summary>Asserts an RFC 9457 problem document with the expected status and a stable kvstore type.</summary>
    /// <returns>The problem document, for further checks.</returns>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        response.StatusCode.Should().Be(expected);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be((int)expected);
        problem.GetProperty("type").GetString().Should().StartWith("urn:kvstore:problem:");
        problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        return problem;
    }
}
