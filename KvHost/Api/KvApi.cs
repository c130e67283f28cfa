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
/// The client API: <c>/kv</c>. Reads are served by any node from its latest published snapshot, or
/// with <c>?minSeq=S</c> from the first one at or past a write the client knows of (<see cref="ReadYourWrites"/>);
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
        kv.MapGet(string.Empty, GetAllAsync).DescribeGetAll();
        kv.MapGet("/{key}", GetOneAsync).DescribeGetOne();

        // The handlers take the key from the raw path (KeySegment), not from the route value, which
        // Kestrel has already half-decoded. {key?} so that an empty key is a 400 that says so, not a
        // 404 or 405 from routing. A follower
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

    internal static async Task<Results<Ok<SnapshotResponse>, ProblemHttpResult>> GetAllAsync(HttpRequest request, NodeActors node, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ReadYourWrites.Parse(request.Query, out var wait) is { } invalid)
        {
            return Outcomes.BadRequest(invalid);
        }

        var (snapshot, behind) = await ReadStateAsync(node, wait, time, cancellationToken);
        if (behind is not null)
        {
            return behind;
        }

        var items = snapshot.Items.ToDictionary(i => i.Key, i => new SnapshotItem(i.Value.Value, i.Value.Seq), StringComparer.Ordinal);
        return TypedResults.Ok(new SnapshotResponse(node.Settings.NodeId, node.Settings.Role.Name, snapshot.AppliedSeq, items));
    }

    internal static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> GetOneAsync(HttpRequest request, NodeActors node, TimeProvider time, CancellationToken cancellationToken)
    {
        if (KeySegment.Read(request.HttpContext, out var key) is { } invalidKey)
        {
            return Outcomes.BadRequest(invalidKey);
        }

        if (ReadYourWrites.Parse(request.Query, out var wait) is { } invalidQuery)
        {
            return Outcomes.BadRequest(invalidQuery);
        }

        var (snapshot, behind) = await ReadStateAsync(node, wait, time, cancellationToken);
        if (behind is not null)
        {
            return behind;
        }

        return snapshot.Items.TryGetValue(key, out var stored)
            ? TypedResults.Ok(new ItemResponse(key, stored.Value, stored.Seq))
            : Outcomes.KeyNotFound(key);
    }

    /// <summary>
    /// The state a read answers from: the latest published one, or with <c>minSeq</c> the first at
    /// or past it, awaited without a thread until the bound; still behind then, the 504 instead.
    /// </summary>
    private static async Task<(StoreSnapshot Snapshot, ProblemHttpResult? Behind)> ReadStateAsync(NodeActors node, ReadYourWrites? wait, TimeProvider time, CancellationToken cancellationToken)
    {
        if (wait is null)
        {
            return (node.View.Current, null);
        }

        var snapshot = await node.View.WaitForAsync(wait.MinSeq, wait.MaxWait, time, cancellationToken);
        return snapshot.AppliedSeq >= wait.MinSeq
            ? (snapshot, null)
            : (snapshot, Outcomes.NotCaughtUp(node.Settings.NodeId, wait.MinSeq, snapshot.AppliedSeq, wait.MaxWait));
    }

    internal static async Task<IResult> PutAsync(HttpRequest request, NodeSettings settings, LeaderSettings leader, WriteAdmission admission, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken)
    {
        if (KeySegment.Read(request.HttpContext, out var key) is { } invalidKey)
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
            return await WriteAsync(request.HttpContext, leader, admission, coordinator, new WriteCommand(WriteOp.Put, key, value.Clone()), cancellationToken);
        }
    }

    internal static async Task<IResult> DeleteAsync(HttpContext context, LeaderSettings leader, WriteAdmission admission, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken) =>
        KeySegment.Read(context, out var key) is { } invalid
            ? Outcomes.BadRequest(invalid)
            : await WriteAsync(context, leader, admission, coordinator, new WriteCommand(WriteOp.Delete, key, null), cancellationToken);

    private static async Task<IResult> WriteAsync(HttpContext context, LeaderSettings leader, WriteAdmission admission, IRequiredActor<WriteCoordinator> coordinator, WriteCommand command, CancellationToken cancellationToken)
    {
        var (idempotency, invalidIdempotencyKey) = IdempotencyKeyHeader.Read(context.Request, command);
        if (invalidIdempotencyKey is not null)
        {
            return Outcomes.BadRequest(invalidIdempotencyKey);
        }

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
                new WriteCoordinatorMessages.Write(command, idempotency),
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
