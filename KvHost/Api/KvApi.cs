using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using KvActors.Replication.Leader;
using KvActors.Store;
using KvHost.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KvHost.Api;

/// <summary>
/// The client API: <c>/kv</c>. Reads are served by any node from its latest published snapshot;
/// writes go to the leader's write coordinator, and their answer waits for the write quorum.
/// </summary>
public static class KvApi
{
    private const string PutShape = "{\"value\": <any JSON but null>}";

    /// <summary>Maps <c>GET /kv</c>, <c>GET</c>, <c>PUT</c> and <c>DELETE /kv/{key}</c>.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The same builder.</returns>
    public static IEndpointRouteBuilder MapKvApi(this IEndpointRouteBuilder app)
    {
        var kv = app.MapGroup("/kv");

        // A leader still recovering holds none of the cluster's data yet: its reads would be wrong
        // and its writes would fork the log, so every /kv request waits for recovery to finish.
        kv.AddEndpointFilter(async (context, next) =>
        {
            var node = context.HttpContext.RequestServices.GetRequiredService<NodeActors>();
            if (node.IsReady)
            {
                return await next(context);
            }

            context.HttpContext.Response.Headers.RetryAfter = "1";
            return Outcomes.Recovering(node.Settings);
        });
        kv.MapGet(string.Empty, GetAll);
        kv.MapGet("/{key}", GetOne);

        // {key?} so that an empty key is a 400 that says so, not a 404 or 405 from routing.
        kv.MapPut("/{key?}", PutAsync);
        kv.MapDelete("/{key?}", DeleteAsync);
        return app;
    }

    internal static Ok<SnapshotResponse> GetAll(NodeActors node)
    {
        var snapshot = node.View.Current;
        var items = snapshot.Items.ToDictionary(i => i.Key, i => new SnapshotItem(i.Value.Value, i.Value.Seq), StringComparer.Ordinal);
        return TypedResults.Ok(new SnapshotResponse(node.Settings.NodeId, RoleName(node), snapshot.AppliedSeq, items));
    }

    internal static Results<Ok<ItemResponse>, ProblemHttpResult> GetOne(string key, NodeActors node)
    {
        if (KeyRules.Validate(key) is { } invalid)
        {
            return Outcomes.BadRequest(invalid);
        }

        return node.View.Current.Items.TryGetValue(key, out var stored)
            ? TypedResults.Ok(new ItemResponse(key, stored.Value, stored.Seq))
            : Outcomes.KeyNotFound(key);
    }

    internal static async Task<IResult> PutAsync(string? key, HttpRequest request, NodeActors node, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken)
    {
        if (node.Settings.Role != NodeRole.Leader)
        {
            return Outcomes.NotLeader(node.Settings);
        }

        if (KeyRules.Validate(key) is { } invalidKey)
        {
            return Outcomes.BadRequest(invalidKey);
        }

        var maxValueBytes = node.Settings.MaxValueBytes;
        var (document, problem) = await JsonBodyReader.ReadAsync(request, (long)maxValueBytes + JsonBodyReader.EnvelopeBytes, cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var body = document.RootElement;
            if (JsonBodyReader.CheckFields(body, PutShape, "value") is { } invalidBody)
            {
                return Outcomes.BadRequest(invalidBody);
            }

            if (!body.TryGetProperty("value", out var value))
            {
                return Outcomes.BadRequest($"the field 'value' is missing; the body is {PutShape}");
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                return Outcomes.BadRequest("the value is null; to remove a key, send DELETE /kv/{key}");
            }

            if (ValueRules.Depth(value) > ValueRules.MaxDepth)
            {
                return Outcomes.BadRequest($"the value nests deeper than {ValueRules.MaxDepth} levels, too deep to be served and replicated as JSON");
            }

            if (JsonBodyReader.RawBytes(value) is var bytes && bytes > maxValueBytes)
            {
                return Outcomes.TooLarge($"the value is {bytes} bytes of JSON; MAX_VALUE_BYTES is {maxValueBytes}");
            }

            // Clone: the value outlives this request's pooled document, in the store and the log.
            return await WriteAsync(request.HttpContext, node, coordinator, new WriteCommand(WriteOp.Put, key!, value.Clone()), cancellationToken);
        }
    }

    internal static async Task<IResult> DeleteAsync(string? key, HttpContext context, NodeActors node, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken)
    {
        if (node.Settings.Role != NodeRole.Leader)
        {
            return Outcomes.NotLeader(node.Settings);
        }

        return KeyRules.Validate(key) is { } invalid
            ? Outcomes.BadRequest(invalid)
            : await WriteAsync(context, node, coordinator, new WriteCommand(WriteOp.Delete, key!, null), cancellationToken);
    }

    internal static string RoleName(NodeActors node) => node.Settings.Role == NodeRole.Leader ? "leader" : "follower";

    private static async Task<IResult> WriteAsync(HttpContext context, NodeActors node, IRequiredActor<WriteCoordinator> coordinator, WriteCommand command, CancellationToken cancellationToken)
    {
        if (!node.Admission.TryEnter())
        {
            context.Response.Headers.RetryAfter = "1";
            return Outcomes.Overloaded(node.Admission.Capacity);
        }

        try
        {
            // The tracker answers by REPLICATION_TIMEOUT_MS; this wait is only a backstop against a bug.
            var outcome = await coordinator.ActorRef.Ask<WriteOutcome>(
                new WriteCoordinatorMessages.Write(command),
                node.Settings.ReplicationTimeout + TimeSpan.FromSeconds(10),
                cancellationToken);
            return Outcomes.ToHttp(outcome, context.Response);
        }
        catch (AskTimeoutException)
        {
            return Outcomes.Unavailable("the leader's write coordinator did not answer in time; the write may have been applied");
        }
        finally
        {
            node.Admission.Leave();
        }
    }
}
