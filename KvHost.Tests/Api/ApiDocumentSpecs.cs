using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using KvHost.Tests.TestKit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KvHost.Tests.Api;

/// <summary>
/// The OpenAPI documents (<c>/openapi/v1.json</c>, <c>/openapi/replication.json</c>) and the Scalar
/// page, fetched from real nodes: every route a node maps is documented, with the problem statuses
/// and <c>type</c>s the contract gives it, and the types the node really answers are the documented ones.
/// </summary>
public sealed partial class ApiDocumentSpecs : IAsyncLifetime
{
    private const string Problem = "urn:kvstore:problem:";
    private InProcessCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    // The contract's problems per route (../shared/API.md): status -> the types the route can answer with it.
    public static TheoryData<string, string, string, int, string[]> ContractProblems => new()
    {
        { "leader", "GET", "/kv", 400, ["bad-request"] },
        { "leader", "GET", "/kv", 503, ["recovering"] },
        { "leader", "GET", "/kv", 504, ["not-caught-up"] },
        { "leader", "GET", "/kv/{key}", 504, ["not-caught-up"] },
        { "leader", "PUT", "/kv/{key}", 422, ["idempotency-key-reused"] },
        { "leader", "DELETE", "/kv/{key}", 422, ["idempotency-key-reused"] },
        { "follower", "GET", "/kv", 504, ["not-caught-up"] },
        { "leader", "GET", "/kv/{key}", 400, ["bad-request"] },
        { "leader", "GET", "/kv/{key}", 404, ["key-not-found"] },
        { "leader", "GET", "/kv/{key}", 503, ["recovering"] },
        { "leader", "PUT", "/kv/{key}", 400, ["bad-request"] },
        { "leader", "PUT", "/kv/{key}", 413, ["too-large"] },
        { "leader", "PUT", "/kv/{key}", 415, ["unsupported-media-type"] },
        { "leader", "PUT", "/kv/{key}", 500, ["write-failed"] },
        { "leader", "PUT", "/kv/{key}", 503, ["recovering", "overloaded", "unavailable"] },
        { "leader", "PUT", "/kv/{key}", 504, ["quorum-not-reached"] },
        { "leader", "DELETE", "/kv/{key}", 400, ["bad-request"] },
        { "leader", "DELETE", "/kv/{key}", 404, ["key-not-found"] },
        { "leader", "DELETE", "/kv/{key}", 500, ["write-failed"] },
        { "leader", "DELETE", "/kv/{key}", 503, ["recovering", "overloaded", "unavailable"] },
        { "leader", "DELETE", "/kv/{key}", 504, ["quorum-not-reached"] },
        { "leader", "GET", "/health", 503, ["recovering"] },
        { "leader", "GET", "/status", 503, ["unavailable"] },
        { "leader", "GET", "/replication/entries", 400, ["bad-request"] },
        { "leader", "GET", "/replication/entries", 401, ["unauthorized"] },
        { "leader", "GET", "/replication/entries", 503, ["recovering", "unavailable"] },
        { "leader", "GET", "/replication/snapshot", 401, ["unauthorized"] },
        { "follower", "GET", "/kv/{key}", 404, ["key-not-found"] },
        { "follower", "PUT", "/kv/{key}", 403, ["not-leader"] },
        { "follower", "DELETE", "/kv/{key}", 403, ["not-leader"] },
        { "follower", "GET", "/replication/entries", 403, ["not-leader"] },
        { "follower", "GET", "/replication/entries", 401, ["unauthorized"] },
        { "follower", "GET", "/replication/snapshot", 401, ["unauthorized"] },
    };

    [Theory]
    [InlineData("leader")]
    [InlineData("follower")]
    public async Task Every_route_the_node_maps_is_documented_with_a_summary_and_a_200_or_its_problems(string role)
    {
        var (node, services) = Node(role);
        var documents = await DocumentsAsync(node);
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        endpoints.Should().NotBeEmpty();
        foreach (var endpoint in endpoints)
        {
            var path = OpenApiPath(endpoint.RoutePattern.RawText!);
            if (endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            {
                path.Should().MatchRegex("^/(openapi|scalar)(/|$)", $"only the documentation itself may be left out of it ({endpoint.DisplayName})");
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var operation = Operation(documents, method, path);
                operation.HasValue.Should().BeTrue($"{method} {path} ({endpoint.DisplayName}) is mapped on the {role}, so a document must describe it");
                operation!.Value.TryGetProperty("summary", out var summary).Should().BeTrue($"{method} {path} needs a summary and its responses (a RouteDocs method)");
                summary.GetString().Should().NotBeNullOrWhiteSpace($"{method} {path} needs a summary");
                operation.Value.GetProperty("responses").EnumerateObject().Should().NotBeEmpty($"{method} {path} must list its responses");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ContractProblems))]
    public async Task Each_route_documents_the_problems_the_contract_gives_it(string role, string method, string path, int status, string[] types)
    {
        var documents = await DocumentsAsync(Node(role).Url);

        var operation = Operation(documents, method, path);

        operation.HasValue.Should().BeTrue($"{method} {path} is documented");
        operation!.Value.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response)
            .Should().BeTrue($"{method} {path} can answer {status}");
        response.GetProperty("content").TryGetProperty("application/problem+json", out _).Should().BeTrue("every error is an RFC 9457 problem document");
        var description = response.GetProperty("description").GetString();
        foreach (var type in types)
        {
            description.Should().Contain($"`{Problem}{type}`");
        }
    }

    [Fact]
    public async Task The_problem_types_the_nodes_really_answer_are_the_documented_ones()
    {
        var leader = _cluster.Leader;
        var follower = _cluster.Followers[0];
        var requests = new (string Role, Uri Node, HttpMethod Method, string Path, string DocumentedPath, HttpContent? Body)[]
        {
            ("leader", leader, HttpMethod.Get, "/kv/absent", "/kv/{key}", null),
            ("leader", leader, HttpMethod.Put, "/kv/k", "/kv/{key}", new StringContent("{\"value\": null}", System.Text.Encoding.UTF8, "application/json")),
            ("leader", leader, HttpMethod.Put, "/kv/k", "/kv/{key}", new StringContent("1", System.Text.Encoding.UTF8, "text/plain")),
            ("leader", leader, HttpMethod.Delete, "/kv/absent", "/kv/{key}", null),
            ("leader", leader, HttpMethod.Get, "/replication/snapshot", "/replication/snapshot", null),
            ("leader", leader, HttpMethod.Get, "/kv?minSeq=-1", "/kv", null),
            ("follower", follower, HttpMethod.Get, "/kv/absent?minSeq=9000000000&maxWaitMs=0", "/kv/{key}", null),
            ("follower", follower, HttpMethod.Put, "/kv/k", "/kv/{key}", JsonContent.Create(new { value = 1 })),
            ("follower", follower, HttpMethod.Delete, "/kv/k", "/kv/{key}", null),
        };

        foreach (var (role, node, method, path, documentedPath, body) in requests)
        {
            using var request = new HttpRequestMessage(method, new Uri(node, path)) { Content = body };
            using var response = await _cluster.Http.SendAsync(request);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var operation = Operation(await DocumentsAsync(node), method.Method, documentedPath);

            operation!.Value.GetProperty("responses").GetProperty(status).GetProperty("description").GetString()
                .Should().Contain($"`{problem.GetProperty("type").GetString()}`", $"the {role}'s {method} {path} answered it with {status}");
        }
    }

    [Fact]
    public async Task The_client_document_describes_the_write_body_and_the_answers_and_leaves_replication_out()
    {
        var client = await _cluster.GetJsonAsync(_cluster.Leader, "/openapi/v1.json");

        client.GetProperty("paths").TryGetProperty("/replication/entries", out _).Should().BeFalse("no client calls the node-to-node routes");
        var put = client.GetProperty("paths").GetProperty("/kv/{key}").GetProperty("put");
        put.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _).Should().BeTrue();
        put.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetRawText()
            .Should().Contain("WriteResponse");
        put.GetProperty("parameters").EnumerateArray().Should().Contain(
            p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header", "a retry's header is part of the write's contract");
        var read = client.GetProperty("paths").GetProperty("/kv").GetProperty("get");
        read.GetProperty("parameters").EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("in").GetString()))
            .Should().Contain([("minSeq", "query"), ("maxWaitMs", "query")], "a read may ask for its own writes");
        client.GetProperty("paths").GetProperty("/metrics").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").EnumerateObject().Single().Name.Should().StartWith("text/plain");
    }

    [Fact]
    public async Task The_Scalar_page_loads_its_script_from_the_node_and_nothing_from_elsewhere()
    {
        using var page = await _cluster.Http.GetAsync(new Uri(_cluster.Leader, "/scalar"));
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        var sources = SourceOrLink().Matches(html).Select(m => m.Groups["url"].Value).ToList();

        sources.Should().NotBeEmpty();
        sources.Should().AllSatisfy(url => url.Should().NotMatchRegex("^(https?:)?//", "no CDN is reachable in production"));
        html.Should().Contain("\"withDefaultFonts\":false", "Scalar's default fonts come from its CDN").And.Contain("\"telemetry\":false");
        var scriptBytes = 0L;
        foreach (var url in sources.Where(u => u.EndsWith(".js", StringComparison.Ordinal)))
        {
            using var script = await _cluster.Http.GetAsync(new Uri(page.RequestMessage!.RequestUri!, url));
            script.StatusCode.Should().Be(HttpStatusCode.OK, $"the page's script {url} is served by the node");
            scriptBytes += (await script.Content.ReadAsByteArrayAsync()).Length;
        }

        scriptBytes.Should().BeGreaterThan(1_000_000, "the whole Scalar bundle comes from the node");
    }

    private (Uri Url, IServiceProvider Services) Node(string role) => role == "leader"
        ? (_cluster.Leader, _cluster.LeaderServices)
        : (_cluster.Followers[0], _cluster.FollowerServices(0));

    private async Task<JsonElement[]> DocumentsAsync(Uri node) =>
        [await _cluster.GetJsonAsync(node, "/openapi/v1.json"), await _cluster.GetJsonAsync(node, "/openapi/replication.json")];

    private static JsonElement? Operation(JsonElement[] documents, string method, string path)
    {
        foreach (var document in documents)
        {
            if (document.GetProperty("paths").TryGetProperty(path, out var item) && item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                return operation;
            }
        }

        return null;
    }

    // A route pattern as OpenAPI writes its path: "/kv/{key?}" and "/kv/{key:int}" are "/kv/{key}", "/kv/" is "/kv".
    private static string OpenApiPath(string pattern) => RouteParameter().Replace("/" + pattern.Trim('/'), "{${name}}");

    [GeneratedRegex(@"\{\*{0,2}(?<name>\w+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("""(src|href)\s*=\s*["'](?<url>[^"']+)["']""")]
    private static partial Regex SourceOrLink();
}
