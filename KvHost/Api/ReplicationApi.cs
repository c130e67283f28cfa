using System.Globalization;
using System.Text.Json;
using KvActors.Replication;
using Akka.Actor;
using Akka.Hosting;
using KvActors.Replication.Leader;
using KvActors.Store;
using KvHost.Hosting;

namespace KvHost.Api;

/// <summary>
/// Replication between nodes, every endpoint behind the replication token (<see cref="ReplicationAuth"/>):
/// the push (<c>POST /replication/entries</c> on a follower), the catch-up fetch
/// (<c>GET /replication/entries</c> on the leader), snapshots (<c>GET /replication/snapshot</c> on
/// any node: the leader's for a follower's full resync, a follower's for a restarted leader's
/// recovery) and a follower's position (<c>GET /replication/position</c>, for that recovery). Every body and query is checked in full before the store sees it, so a malformed
/// request is a 4xx that changes nothing.
/// </summary>
public static class ReplicationApi
{
    private const string Shape = "{\"epoch\": n, \"seq\": n, \"op\": \"put\"|\"delete\", \"key\": \"...\", \"value\": <JSON, put only>}";

    /// <summary>The largest page of entries a catch-up fetch may ask for.</summary>
    private const int MaxPage = 10_000;

    /// <summary>
    /// How long a replicate request may wait for its acknowledgement: in applied mode, until every
    /// earlier entry has arrived. Longer than the leader's per-attempt timeout, which gives up first.
    /// </summary>
    private static readonly TimeSpan AckWait = TimeSpan.FromSeconds(30);

    /// <summary>Maps the <c>/replication</c> endpoints.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The same builder.</returns>
    public static IEndpointRouteBuilder MapReplicationApi(this IEndpointRouteBuilder app)
    {
        var replication = app.MapGroup("/replication").RequireReplicationToken();
        replication.MapPost("/entries", ReplicateAsync);
        replication.MapGet("/entries", CatchUpAsync);
        replication.MapGet("/snapshot", Snapshot);
        replication.MapGet("/position", PositionAsync);
        return app;
    }

    internal static async Task<IResult> CatchUpAsync(HttpRequest request, NodeActors node, IRequiredActor<StoreActor> store, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken)
    {
        if (node.Settings.Role != NodeRole.Leader)
        {
            return Outcomes.NotLeader(node.Settings);
        }

        if (!node.IsReady)
        {
            return Outcomes.Recovering(node.Settings);
        }

        var query = request.Query;
        if (QueryInteger(query, "epoch", 0, long.MaxValue, required: true) is not long epoch
            || QueryInteger(query, "after", 0, long.MaxValue, required: true) is not long after
            || QueryInteger(query, "limit", 1, MaxPage, required: false) is not long limit)
        {
            return Outcomes.BadRequest($"the query must be ?epoch=E&after=S[&limit=N][&node=NAME] with E and S integers from 0 to 2^63-1 and N from 1 to {MaxPage}");
        }

        var follower = query["node"].ToString();
        try
        {
            var read = await store.ActorRef.Ask<StoreMessages.LogRead>(new StoreMessages.ReadLog(epoch, after, (int)limit), TimeSpan.FromSeconds(10), cancellationToken);
            if (follower.Length is > 0 and <= 256)
            {
                coordinator.ActorRef.Tell(new WriteCoordinatorMessages.FollowerPulled(follower, epoch == read.Epoch ? after : 0, read.FullResyncRequired, read.Entries.Count));
            }

            return TypedResults.Ok(new CatchUpResponse(read.Epoch, read.LastSeq, read.FullResyncRequired, [.. read.Entries.Select(ReplicateRequest.From)]));
        }
        catch (AskTimeoutException ex)
        {
            return Outcomes.Unavailable("the leader's store did not answer: " + ex.Message);
        }
    }

    internal static async Task<IResult> PositionAsync(NodeActors node, IRequiredActor<StoreActor> store, CancellationToken cancellationToken)
    {
        if (node.Settings.Role != NodeRole.Follower)
        {
            return Outcomes.NotAFollower();
        }

        try
        {
            var position = await store.ActorRef.Ask<StoreMessages.Position>(new StoreMessages.ReadPosition(), TimeSpan.FromSeconds(10), cancellationToken);
            return TypedResults.Ok(PositionDocument.From(node.Settings.NodeId, position));
        }
        catch (AskTimeoutException ex)
        {
            return Outcomes.Unavailable("this follower's store did not answer: " + ex.Message);
        }
    }

    internal static IResult Snapshot(NodeActors node) =>
        node.IsReady
            ? TypedResults.Ok(SnapshotDocument.From(node.Settings.NodeId, node.View.Current))
            : Outcomes.Recovering(node.Settings);

    internal static async Task<IResult> ReplicateAsync(HttpRequest request, NodeActors node, IRequiredActor<StoreActor> store, CancellationToken cancellationToken)
    {
        if (node.Settings.Role == NodeRole.Leader)
        {
            return Outcomes.NotAFollower();
        }

        var maxValueBytes = node.Settings.MaxValueBytes;
        var (document, problem) = await JsonBodyReader.ReadAsync(request, (long)maxValueBytes + JsonBodyReader.EnvelopeBytes, cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        LogEntry entry;
        using (document)
        {
            if (ParseEntry(document.RootElement, maxValueBytes, out var parsed) is { } invalid)
            {
                return invalid;
            }

            entry = parsed!;
        }

        try
        {
            var outcome = await store.ActorRef.Ask<ReplicateOutcome>(new StoreMessages.ApplyReplicated(entry), AckWait, cancellationToken);
            return Outcomes.ToHttp(outcome, entry.Epoch);
        }
        catch (AskTimeoutException)
        {
            return Outcomes.Unavailable($"entry seq {entry.Seq} is held, but an earlier entry has not arrived within {AckWait.TotalSeconds} s");
        }
    }

    private static IResult? ParseEntry(JsonElement body, int maxValueBytes, out LogEntry? entry)
    {
        entry = null;
        if (JsonBodyReader.CheckFields(body, Shape, "epoch", "seq", "op", "key", "value") is { } invalid)
        {
            return Outcomes.BadRequest(invalid);
        }

        if (PositiveInteger(body, "epoch") is not long epoch)
        {
            return Outcomes.BadRequest("'epoch' must be an integer from 1 to 2^63-1");
        }

        if (PositiveInteger(body, "seq") is not long seq)
        {
            return Outcomes.BadRequest("'seq' must be an integer from 1 to 2^63-1");
        }

        var op = body.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        if (op is not (ReplicateRequest.PutOp or ReplicateRequest.DeleteOp))
        {
            return Outcomes.BadRequest("'op' must be \"put\" or \"delete\"");
        }

        var key = body.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (KeyRules.Validate(key) is { } invalidKey)
        {
            return Outcomes.BadRequest($"'key': {invalidKey}");
        }

        var hasValue = body.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null;
        if (op == ReplicateRequest.PutOp && !hasValue)
        {
            return Outcomes.BadRequest("a put needs a non-null 'value'");
        }

        if (op == ReplicateRequest.DeleteOp && hasValue)
        {
            return Outcomes.BadRequest("a delete carries no 'value'");
        }

        if (hasValue && JsonBodyReader.Depth(value) > JsonBodyReader.MaxValueDepth)
        {
            return Outcomes.BadRequest($"the value nests deeper than {JsonBodyReader.MaxValueDepth} levels");
        }

        if (hasValue && JsonBodyReader.RawBytes(value) > maxValueBytes)
        {
            return Outcomes.TooLarge($"the value is over MAX_VALUE_BYTES ({maxValueBytes} bytes)");
        }

        entry = new LogEntry(epoch, seq, op == ReplicateRequest.PutOp ? WriteOp.Put : WriteOp.Delete, key!, hasValue ? value.Clone() : null);
        return null;
    }

    private static long? PositiveInteger(JsonElement body, string name) =>
        body.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt64(out var n) && n >= 1 ? n : null;

    // Returns the catch-up loop's page size for an absent optional value, null for anything malformed.
    private static long? QueryInteger(IQueryCollection query, string name, long min, long max, bool required)
    {
        var values = query[name];
        if (values.Count == 0)
        {
            return required ? null : Math.Min(max, KvActors.Replication.Follower.CatchUpLoop.PageSize);
        }

        return values.Count == 1 && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;
    }
}
