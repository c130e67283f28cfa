using System.Net;
using System.Text.Json;

namespace KvHost.Tests.TestKit;

/// <summary>
/// Sends generated requests to one node and holds every answer to the contract whatever the request:
/// no 5xx, every 4xx a problem document, nothing served to a replication request without the token.
/// </summary>
public sealed class NodeUnderTest(HttpClient http, Uri node, RequestGenerators generators, RequestCounts counts)
{
    /// <summary>
    /// Sends <paramref name="request"/>, counts it, and checks the answer against the contract. The check
    /// does not throw, so that the caller can still take the node's state as its new baseline first:
    /// otherwise every request tried while shrinking would be blamed for this one's change.
    /// </summary>
    /// <returns>The status, and what is wrong with the answer (null when nothing is).</returns>
    /// <remarks>Blocking: FsCheck properties are synchronous, and this runs on a thread-pool thread of the property's own.</remarks>
    public (HttpStatusCode Status, string? Violation) Send(GeneratedRequest request)
    {
        using var message = request.ToHttpRequest(node);
        using var response = http.SendAsync(message).GetAwaiter().GetResult();
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var status = (int)response.StatusCode;
        var forged = request.Target.IsReplication && !generators.IsRightToken(request.Authorization);
        var refusedByKestrel = status >= 400 && request.Target.Kind == TargetKind.RejectedByKestrel && response.Content.Headers.ContentLength == 0;
        counts.Requests++;
        counts.Status2xx += status is >= 200 and < 300 ? 1 : 0;
        counts.Status4xx += status is >= 400 and < 500 ? 1 : 0;
        counts.Status5xx += status >= 500 ? 1 : 0;
        counts.ForgedRefused += forged && status == 401 ? 1 : 0;
        counts.RefusedByKestrel += refusedByKestrel ? 1 : 0;

        var violation = status switch
        {
            >= 500 => $"no request gets a 5xx; this one got {status} {body}",
            >= 200 and < 300 when forged => $"a replication request without the token is never served; this one got {status} {body}",

            // Kestrel refuses such a request line itself, before routing or middleware: no problem document is possible.
            _ when refusedByKestrel => status is 400 or 414 ? null : $"Kestrel refused the request line with {status}, not 400 or 414",
            >= 400 when request.Method != "HEAD" => ProblemDocumentViolation(response, body, status),
            _ => null,
        };
        return (response.StatusCode, violation);
    }

    public async Task<string> GetStringAsync(string path) => await http.GetStringAsync(new Uri(node, path));

    /// <summary>A follower's whole state: its items and applied seq, its epoch, and how many entries it holds back.</summary>
    public async Task<string> GetStateAsync()
    {
        var status = JsonSerializer.Deserialize<JsonElement>(await GetStringAsync("/status"));
        return $"epoch {status.GetProperty("epoch")}, held back {status.GetProperty("heldBack")}, {await GetStringAsync("/kv")}";
    }

    public async Task AssertAliveAsync()
    {
        using var health = await http.GetAsync(new Uri(node, "/health"));
        health.StatusCode.Should().Be(HttpStatusCode.OK, $"{node} still answers /health after the generated requests");
    }

    private static string? ProblemDocumentViolation(HttpResponseMessage response, string body, int status)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"every 4xx is an application/problem+json document; this {status} was {response.Content.Headers.ContentType} {body}";
        }

        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        var missing = new[] { "type", "title", "detail" }
            .Where(field => !problem.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
            .ToList();
        if (missing.Count > 0)
        {
            return $"a problem document has type, title and detail; this one lacks {string.Join(", ", missing)}: {body}";
        }

        return problem.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == status
            ? null
            : $"the problem's status is the response's ({status}); this one was {body}";
    }
}
