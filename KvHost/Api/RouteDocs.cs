using KvActors.Replication.CatchUp;
using Microsoft.OpenApi;

namespace KvHost.Api;

/// <summary>
/// What each route tells the OpenAPI documents (<see cref="ApiDocs"/>): summary, description, its 200's
/// body and every problem it can answer with its <c>type</c>. Mapped routes call one of these, so the
/// contract of a route reads in one place; a spec checks that no mapped route goes undocumented.
/// </summary>
internal static class RouteDocs
{
    private const string KvTag = "kv";
    private const string NodeTag = "node";
    private const string ReplicationTag = "replication";

    public static RouteHandlerBuilder DescribeGetAll(this RouteHandlerBuilder route) => route
        .WithTags(KvTag)
        .WithSummary("Read every key")
        .WithDescription("This node's whole state at one applied seq, from its latest published snapshot; a follower's may lag the leader's.")
        .Produces<SnapshotResponse>(StatusCodes.Status200OK)
        .ProducesKvProblem(StatusCodes.Status400BadRequest, "bad-request", "minSeq or maxWaitMs not plain digits, out of range, or given twice; nothing waited")
        .ReadYourWrites()
        .Recovering();

    public static RouteHandlerBuilder DescribeGetOne(this RouteHandlerBuilder route) => route
        .WithTags(KvTag)
        .WithSummary("Read one key")
        .WithDescription("The key's value and the seq of the write that set it, as this node holds it; a follower's may lag the leader's.")
        .Produces<ItemResponse>(StatusCodes.Status200OK)
        .BadKey()
        .ProducesKvProblem(StatusCodes.Status404NotFound, "key-not-found", "no such key on this node (never written, or deleted)")
        .ReadYourWrites()
        .Recovering();

    public static RouteHandlerBuilder DescribePut(this RouteHandlerBuilder route) => route
        .WithTags(KvTag)
        .WithSummary("Write a key (leader)")
        .WithDescription("Applies the write on the leader, replicates it to every follower and answers once W of them acknowledged it. " +
            "The 200 carries `Server-Timing: quorum-delay;dur=<ms>`: the injected delay of the acknowledgement that completed the quorum.")
        .WithMetadata(new JsonRequestBodyMetadata(typeof(PutRequest)))
        .Produces<WriteResponse>(StatusCodes.Status200OK)
        .BadKey()
        .ProducesKvProblem(StatusCodes.Status413PayloadTooLarge, "too-large", "the value is larger than MAX_VALUE_BYTES of JSON; nothing was written")
        .ProducesKvProblem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "the body is not application/json; nothing was written")
        .Idempotent()
        .Write();

    public static RouteHandlerBuilder DescribeDelete(this RouteHandlerBuilder route) => route
        .WithTags(KvTag)
        .WithSummary("Delete a key (leader)")
        .WithDescription("Writes a tombstone with its own seq, replicated and acknowledged like a PUT.")
        .Produces<WriteResponse>(StatusCodes.Status200OK)
        .BadKey()
        .ProducesKvProblem(StatusCodes.Status404NotFound, "key-not-found", "no such key on the leader; nothing was written")
        .Idempotent()
        .Write();

    public static RouteHandlerBuilder DescribeFollowerWrite(this RouteHandlerBuilder route, string method) => route
        .WithTags(KvTag)
        .WithSummary($"{method} on a follower: refused")
        .WithDescription("A follower takes no writes; its 403 names the leader in the extension field `leader`.")
        .ProducesKvProblem(StatusCodes.Status403Forbidden, "not-leader", "always on a follower: send the write to `leader`");

    public static RouteHandlerBuilder DescribeHealth(this RouteHandlerBuilder route) => route
        .WithTags(NodeTag)
        .WithSummary("Health")
        .WithDescription("The container healthcheck's probe.")
        .Produces<HealthResponse>(StatusCodes.Status200OK)
        .Recovering();

    public static RouteHandlerBuilder DescribeLeaderStatus(this RouteHandlerBuilder route) => route
        .WithTags(NodeTag)
        .WithSummary("Replication status (leader)")
        .WithDescription("W, the write counters and each follower's state, acknowledged seq and lag, like PostgreSQL's pg_stat_replication.")
        .Produces<StatusResponse>(StatusCodes.Status200OK)
        .ProducesKvProblem(StatusCodes.Status503ServiceUnavailable, "unavailable", "the write coordinator did not answer within 5 s");

    public static RouteHandlerBuilder DescribeFollowerStatus(this RouteHandlerBuilder route) => route
        .WithTags(NodeTag)
        .WithSummary("Replication status (follower)")
        .WithDescription("The follower's applied seq, the entries it holds back and its catch-up from the leader.")
        .Produces<StatusResponse>(StatusCodes.Status200OK);

    public static RouteHandlerBuilder DescribeEntries(this RouteHandlerBuilder route) => route
        .WithTags(ReplicationTag)
        .WithSummary("Catch-up: the leader's backlog")
        .WithDescription("`?epoch=E&after=S[&limit=N][&node=NAME]`: the entries after S, or `fullResync: true` when only a snapshot will do.")
        .Produces<CatchUpResponse>(StatusCodes.Status200OK)
        .ProducesKvProblem(StatusCodes.Status400BadRequest, "bad-request", "epoch or after missing or not an integer from 0 to 2^63-1, or limit not from 1 to 10000")
        .Replication()
        .ProducesKvProblem(StatusCodes.Status503ServiceUnavailable, "unavailable", "the leader's store did not answer in time");

    public static RouteHandlerBuilder DescribeFollowerEntries(this RouteHandlerBuilder route) => route
        .WithTags(ReplicationTag)
        .WithSummary("Catch-up on a follower: refused")
        .WithDescription("A follower has no backlog; its 403 names the leader.")
        .ProducesKvProblem(StatusCodes.Status403Forbidden, "not-leader", "always on a follower")
        .Replication();

    public static RouteHandlerBuilder DescribeSnapshot(this RouteHandlerBuilder route) => route
        .WithTags(ReplicationTag)
        .WithSummary("This node's snapshot")
        .WithDescription("The node's whole state at one seq: the leader's for a follower's full resync, a follower's for a restarted leader's recovery.")
        .Produces<SnapshotDocument>(StatusCodes.Status200OK)
        .Replication();

    private static RouteHandlerBuilder BadKey(this RouteHandlerBuilder route) =>
        route.ProducesKvProblem(StatusCodes.Status400BadRequest, "bad-request", "a key that is empty, over 256 bytes or not UTF-8 once percent-decoded, malformed JSON, a null value, unknown or duplicate fields, a value nested too deep, a malformed Idempotency-Key; nothing was written");

    private static RouteHandlerBuilder ReadYourWrites(this RouteHandlerBuilder route) => route
        .WithMetadata(new DocumentedParameter(ParameterLocation.Query, "minSeq", JsonSchemaType.Integer,
            "Read your writes: answer from a state at or past this seq (a write's answer names it), waiting for replication up to maxWaitMs. 0 to 2^63-1."))
        .WithMetadata(new DocumentedParameter(ParameterLocation.Query, "maxWaitMs", JsonSchemaType.Integer,
            "With minSeq: how long to wait, 0 to 10000 ms (default 1000; 0 only looks)."))
        .ProducesKvProblem(StatusCodes.Status504GatewayTimeout, "not-caught-up", "with minSeq: this node had not applied that seq within maxWaitMs (fields `node`, `minSeq`, `appliedSeq`, `maxWaitMs`); try again, another node, or the leader");

    private static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder route) => route
        .WithMetadata(new DocumentedParameter(ParameterLocation.Header, "Idempotency-Key", JsonSchemaType.String,
            "1 to 255 printable ASCII characters, bare or quoted: a retry with the same key and request is answered with the first write's seq and current state (`Idempotent-Replayed: true`) and applied no second time."))
        .ProducesKvProblem(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "the Idempotency-Key was used for another request (method, key or value); nothing was written");

    private static RouteHandlerBuilder Recovering(this RouteHandlerBuilder route) =>
        route.ProducesKvProblem(StatusCodes.Status503ServiceUnavailable, "recovering", "a leader that has just started is recovering the cluster's data (`Retry-After: 1`)");

    private static RouteHandlerBuilder Write(this RouteHandlerBuilder route) => route
        .ProducesKvProblem(StatusCodes.Status500InternalServerError, "write-failed", "the leader's store could not apply the write")
        .Recovering()
        .ProducesKvProblem(StatusCodes.Status503ServiceUnavailable, "overloaded", "MAX_WRITES_IN_FLIGHT writes already wait for their quorum; this one was not applied (`Retry-After: 1`)")
        .ProducesKvProblem(StatusCodes.Status503ServiceUnavailable, "unavailable", "the write coordinator did not answer; the write may have been applied")
        .ProducesKvProblem(StatusCodes.Status504GatewayTimeout, "quorum-not-reached", "fewer than W followers acknowledged within REPLICATION_TIMEOUT_MS; the write is applied on the leader, not rolled back, and keeps replicating (fields `seq`, `acks`, `writeQuorum`)");

    private static RouteHandlerBuilder Replication(this RouteHandlerBuilder route) => route
        .WithGroupName(ApiDocs.ReplicationDocument)
        .ProducesKvProblem(StatusCodes.Status401Unauthorized, "unauthorized", "no `Authorization: Bearer <REPLICATION_TOKEN>`, or a wrong one; nothing was read")
        .Recovering();
}
