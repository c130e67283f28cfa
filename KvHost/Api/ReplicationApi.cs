using System.Text.Json;
using KvActors.Replication;
using KvActors.Runtime;
using KvActors.Store;
using KvHost.Hosting;

namespace KvHost.Api;

/// <summary>
/// The follower's side of replication: <c>POST /replication/entries</c>. Every body is checked in full
/// before the store sees it, so a malformed entry is a 400 that changes nothing.
/// </summary>
public static class ReplicationApi
{
    private const string Shape = "{\"epoch\": n, \"seq\": n, \"op\": \"put\"|\"delete\", \"key\": \"...\", \"value\": <JSON, put only>}";

    /// <summary>
    /// How long a replicate request may wait for its acknowledgement: in applied mode, until every
    /// earlier entry has arrived. Longer than the leader's per-attempt timeout, which gives up first.
    /// </summary>
    private static readonly TimeSpan AckWait = TimeSpan.FromSeconds(30);

    /// <summary>Maps <c>POST /replication/entries</c>.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The same builder.</returns>
    public static IEndpointRouteBuilder MapReplicationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/replication/entries", ReplicateAsync);
        return app;
    }

    internal static async Task<IResult> ReplicateAsync(HttpRequest request, NodeActors node, CancellationToken cancellationToken)
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
            var outcome = await node.Store.AskAsync<StoreMessages.IMessage, ReplicateOutcome>(
                reply => new StoreMessages.ApplyReplicated(entry, reply), AckWait, cancellationToken);
            return Outcomes.ToHttp(outcome, entry.Epoch);
        }
        catch (ActorStoppedException)
        {
            return Outcomes.Unavailable("this follower is shutting down");
        }
        catch (TimeoutException)
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

        if (hasValue && JsonBodyReader.RawBytes(value) > maxValueBytes)
        {
            return Outcomes.TooLarge($"the value is over MAX_VALUE_BYTES ({maxValueBytes} bytes)");
        }

        entry = new LogEntry(epoch, seq, op == ReplicateRequest.PutOp ? WriteOp.Put : WriteOp.Delete, key!, hasValue ? value.Clone() : null);
        return null;
    }

    private static long? PositiveInteger(JsonElement body, string name) =>
        body.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt64(out var n) && n >= 1 ? n : null;
}
