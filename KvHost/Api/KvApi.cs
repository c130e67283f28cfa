using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using KvActors.Replication.Leader;
using KvActors.Store;
using KvHost.Hosting;
using KvHost.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KvHost.Api;

/// <summary>
/// The client API: <c>/kv</c>. Reads are served by any node from its latest published snapshot;
/// writes go to the leader's write coordinator, and their answer waits for the write quorum. A
/// follower maps the same write routes to its 403, which names the leader.
/// </summary>
public static class KvApi
{
    private const string PutShape = "{\"value\": <any JSON but null>}";

    /// <summary>Maps <c>GET /kv</c>, <c>GET</c>, <c>PUT</c> and <c>DELETE /kv/{key}</c>, the writes as this node's role serves them.</summary>
    /// <param name="app">The application.</param>
    /// <param name="settings">The node's settings: its role decides what a write gets.</param>
    /// <returns>The same builder.</returns>
    public static IEndpointRouteBuilder MapKvApi(this IEndpointRouteBuilder app, NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
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
        kv.MapGet(string.Empty, GetAll).DescribeGetAll();
        kv.MapGet("/{key}", GetOne).DescribeGetOne();

        // {key?} so that an empty key is a 400 that says so, not a 404 or 405 from routing. A follower
        // has the same routes, so any write sent to it, however malformed, learns where the leader is.
        switch (settings.Role)
        {
            case LeaderSettings:
                kv.MapPut("/{key?}", PutAsync).DescribePut();
                kv.MapDelete("/{key?}", DeleteAsync).DescribeDelete();
                break;
            case FollowerSettings follower:
                kv.MapPut("/{key?}", () => Outcomes.NotLeader(settings.NodeId, follower)).DescribeFollowerWrite("PUT");
                kv.MapDelete("/{key?}", () => Outcomes.NotLeader(settings.NodeId, follower)).DescribeFollowerWrite("DELETE");
                break;
        }

        return app;
    }

    internal static Ok<SnapshotResponse> GetAll(NodeActors node)
    {
        var snapshot = node.View.Current;
        var items = snapshot.Items.ToDictionary(i => i.Key, i => new SnapshotItem(i.Value.Value, i.Value.Seq), StringComparer.Ordinal);
        return TypedResults.Ok(new SnapshotResponse(node.Settings.NodeId, node.Settings.Role.Name, snapshot.AppliedSeq, items));
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

    internal static async Task<IResult> PutAsync(string? key, HttpRequest request, NodeSettings settings, LeaderSettings leader, WriteAdmission admission, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken)
    {
        if (KeyRules.Validate(key) is { } invalidKey)
        {
            return Outcomes.BadRequest(invalidKey);
        }

        var maxValueBytes = settings.MaxValueBytes;
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
            return await WriteAsync(request.HttpContext, leader, admission, coordinator, new WriteCommand(WriteOp.Put, key!, value.Clone()), cancellationToken);
        }
    }

    internal static async Task<IResult> DeleteAsync(string? key, HttpContext context, LeaderSettings leader, WriteAdmission admission, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken) =>
        KeyRules.Validate(key) is { } invalid
            ? Outcomes.BadRequest(invalid)
            : await WriteAsync(context, leader, admission, coordinator, new WriteCommand(WriteOp.Delete, key!, null), cancellationToken);

    private static async Task<IResult> WriteAsync(HttpContext context, LeaderSettings leader, WriteAdmission admission, IRequiredActor<WriteCoordinator> coordinator, WriteCommand command, CancellationToken cancellationToken)
    {
        if (!admission.TryEnter())
        {
            context.Response.Headers.RetryAfter = "1";
            return Outcomes.Overloaded(admission.Capacity);
        }

        try
        {
            // The tracker answers by REPLICATION_TIMEOUT_MS; this wait is only a backstop against a bug.
            var started = Stopwatch.GetTimestamp();
            var outcome = await coordinator.ActorRef.Ask<WriteOutcome>(
                new WriteCoordinatorMessages.Write(command),
                leader.ReplicationTimeout + TimeSpan.FromSeconds(10),
                cancellationToken);

            // Resolved here, not in each write handler's parameters: one singleton lookup, no allocation.
            context.RequestServices.GetRequiredService<KvMetrics>().WriteAnswered(outcome, Stopwatch.GetElapsedTime(started));
            return Outcomes.ToHttp(outcome, context.Response);
        }
        catch (AskTimeoutException)
        {
            return Outcomes.Unavailable("the leader's write coordinator did not answer in time; the write may have been applied");
        }
        finally
        {
            admission.Leave();
        }
    }
}
