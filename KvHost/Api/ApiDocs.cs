using KvActors.Http;
using KvHost.Metrics;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace KvHost.Api;

/// <summary>
/// The node's OpenAPI documents, generated from its endpoints' metadata (<see cref="RouteDocs"/>), and
/// Scalar's reference page for them: <c>/openapi/v1.json</c> (the client API: <c>/kv</c>,
/// <c>/health</c>, <c>/status</c>, <c>/metrics</c>), <c>/openapi/replication.json</c> (the
/// token-protected node-to-node routes, apart because no client calls them) and <c>/scalar</c>.
/// </summary>
/// <remarks>
/// Each node documents what it serves: a leader's writes answer 200 or a problem, a follower's the
/// 403 that names the leader. Every problem response lists the <c>type</c> URIs it can carry
/// (<see cref="ProducesKvProblem"/>), since a client matches on the type, not on the status alone.
/// The page works offline: Scalar's script is served from the package (<c>/scalar/scalar.js</c>), and
/// its CDN fonts, telemetry and AI agent are off.
/// </remarks>
public static class ApiDocs
{
    /// <summary>The client API's document name: <c>/openapi/v1.json</c>.</summary>
    public const string ClientDocument = "v1";

    /// <summary>The replication protocol's document name: <c>/openapi/replication.json</c>.</summary>
    public const string ReplicationDocument = "replication";

    /// <summary>Registers both documents.</summary>
    /// <param name="services">The node's services.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddOpenApi(ClientDocument, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "kvstore client API",
                    Version = ClientDocument,
                    Description = "A single-leader replicated key-value store. Writes go to the leader and are answered once W followers " +
                        "acknowledged them; reads are served by any node. Every error is an RFC 9457 problem document " +
                        "(application/problem+json) whose `type` is a stable `" + Problems.TypePrefix + "NAME` URI; each response below lists the types it can carry.",
                };
                AddMetricsPath(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeProblemTypes);
        });
        services.AddOpenApi(ReplicationDocument, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "kvstore replication protocol (HTTP half)",
                    Version = ReplicationDocument,
                    Description = "Node-to-node routes: a follower's catch-up and a restarted leader's recovery. Every request carries " +
                        "`Authorization: Bearer <REPLICATION_TOKEN>`; entries pushed to followers travel over Akka.Remote instead (docs/replication.md).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeProblemTypes);
        });
        return services;
    }

    /// <summary>Maps <c>/openapi/{document}.json</c> and the Scalar page at <c>/scalar</c>, in every environment.</summary>
    /// <param name="app">The node's application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        // Both describe the documents; they are not part of them.
        app.MapOpenApi().ExcludeFromDescription();
        app.MapScalarApiReference(options => options
            .WithTitle("kvstore API reference")
            .AddDocument(ClientDocument, "Client API", isDefault: true)
            .AddDocument(ReplicationDocument, "Replication protocol")

            // Nothing from outside: the production network reaches no CDN.
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent())
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Declares that the route may answer <paramref name="status"/> with a problem of type
    /// <c>urn:kvstore:problem:</c><paramref name="type"/>, and when; the documents list it under that status.
    /// </summary>
    /// <param name="builder">The route.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="type">The problem's name, as <see cref="Outcomes"/> and <see cref="Problems"/> give it (<c>not-leader</c>).</param>
    /// <param name="when">When the route answers it, for the reader of the document.</param>
    /// <returns>The same route.</returns>
    public static RouteHandlerBuilder ProducesKvProblem(this RouteHandlerBuilder builder, int status, string type, string when) =>
        builder.ProducesProblem(status).WithMetadata(new ProblemTypeMetadata(status, Problems.TypePrefix + type, when));

    // Lists each documented status's problem types in its response's description, where Scalar shows it,
    // and describes a body, query parameters and headers the handler reads itself
    // (JsonRequestBodyMetadata, DocumentedParameter).
    private static async Task DescribeProblemTypes(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonRequestBodyMetadata>().FirstOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) },
                },
            };
        }

        foreach (var parameter in context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedParameter>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = parameter.In,
                Description = parameter.Description,
                Schema = new OpenApiSchema { Type = parameter.Type },
            });
        }

        var problems = context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemTypeMetadata>().ToList();
        foreach (var byStatus in problems.GroupBy(p => p.Status))
        {
            var key = byStatus.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            operation.Responses ??= [];
            if (!operation.Responses.TryGetValue(key, out var response) || response is not OpenApiResponse concrete)
            {
                operation.Responses[key] = concrete = new OpenApiResponse();
            }

            concrete.Description = "A problem document (RFC 9457); its `type` is one of:\n" +
                string.Concat(byStatus.Select(p => $"\n- `{p.Type}`: {p.When}"));
        }
    }

    // The Prometheus exporter's endpoint is middleware, not a minimal API that describes itself.
    private static void AddMetricsPath(OpenApiDocument document)
    {
        document.Paths ??= [];
        document.Paths[MetricsHosting.Path] = new OpenApiPathItem
        {
            Operations = new()
            {
                [HttpMethod.Get] = new OpenApiOperation
                {
                    Summary = "Scrape the node's metrics",
                    Description = "The node's metrics in the Prometheus text format (OpenMetrics when the scraper's Accept asks for it): " +
                        "write counters and latency histogram, per-follower acknowledged seq and lag on the leader, catch-up counters on a follower, applied seq on every node. The README's Metrics section lists every series.",
                    Tags = new HashSet<OpenApiTagReference> { new("node", document) },
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "The current value of every series.",
                            Content = new Dictionary<string, OpenApiMediaType> { ["text/plain; version=0.0.4"] = new() },
                        },
                    },
                },
            },
        };
    }
}
