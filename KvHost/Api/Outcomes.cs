using System.Globalization;
using KvActors.Http;
using KvActors.Replication.Leader;
using KvActors.Store;
using KvHost.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KvHost.Api;

/// <summary>
/// The one place where outcomes become HTTP answers: every problem document (RFC 9457) this node
/// sends, each with a stable <c>type</c> (<c>urn:kvstore:problem:NAME</c>) that clients can match on,
/// and the extension fields the contract (<c>../shared/API.md</c>) names. The problems the
/// replication protocol's server answers too (bad request, unauthorized, unavailable) and the
/// factory come from <see cref="Problems"/>, so a cause has one type on both surfaces.
/// </summary>
internal static class Outcomes
{
    private const string TypePrefix = Problems.TypePrefix;

    public static ProblemHttpResult BadRequest(string detail) => Problems.BadRequest(detail);

    public static ProblemHttpResult UnsupportedMediaType(string? contentType) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
            $"the body must be application/json, not '{contentType ?? "(none)"}'");

    public static ProblemHttpResult TooLarge(string detail) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "Payload too large", detail);

    public static ProblemHttpResult NotLeader(string nodeId, FollowerSettings follower) =>
        Problem(StatusCodes.Status403Forbidden, "not-leader", "Not the leader",
            $"this node ({nodeId}) is a follower and takes no writes; send writes to the leader at {follower.LeaderUrl}",
            new() { ["leader"] = follower.LeaderUrl.ToString() });

    public static ProblemHttpResult KeyNotFound(string key) =>
        Problem(StatusCodes.Status404NotFound, "key-not-found", "No such key", $"no key '{key}'", new() { ["key"] = key });

    public static ProblemHttpResult Recovering(NodeSettings settings) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "recovering", "Leader recovering",
            $"the leader ({settings.NodeId}) has just started and is recovering the cluster's data from its followers; it takes no requests until then. Retry shortly");

    public static ProblemHttpResult Overloaded(int capacity) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "overloaded", "Too many writes in flight",
            $"the leader already has {capacity} writes waiting for their quorum (MAX_WRITES_IN_FLIGHT); this one was not applied. Retry shortly");

    public static ProblemHttpResult Unavailable(string detail) => Problems.Unavailable(detail);

    /// <summary>
    /// A read with <c>minSeq</c> that this node could not serve within its wait: 504, as for a write
    /// whose quorum did not answer in time, because here too the node waited for replication it
    /// depends on (the leader's entries reaching it) and it did not arrive. Nothing is wrong with the
    /// request (not a 4xx) and the node is not refusing work (not a 503): the same read can succeed
    /// later, on another node, or at once on the leader. Carries <c>minSeq</c>, the node's
    /// <c>appliedSeq</c> when it gave up, and the wait in <c>maxWaitMs</c>.
    /// </summary>
    public static ProblemHttpResult NotCaughtUp(string nodeId, long minSeq, long appliedSeq, TimeSpan maxWait) =>
        Problem(StatusCodes.Status504GatewayTimeout, "not-caught-up", "Not caught up in time",
            $"this node ({nodeId}) has applied up to seq {appliedSeq} and did not reach minSeq {minSeq} within {maxWait.TotalMilliseconds:0} ms. " +
            "Retry, raise maxWaitMs, or read from the leader",
            new() { ["node"] = nodeId, ["minSeq"] = minSeq, ["appliedSeq"] = appliedSeq, ["maxWaitMs"] = (long)maxWait.TotalMilliseconds });

    /// <summary>
    /// A client write's outcome: 200 with the write's <c>seq</c>, or the matching problem. A 200 that
    /// waited for an acknowledgement also carries a W3C <c>Server-Timing</c> header, written to
    /// <paramref name="response"/>, with <see cref="QuorumDelayTiming"/>.
    /// </summary>
    /// <remarks>
    /// An outcome replayed for a retry with the same <c>Idempotency-Key</c> carries
    /// <c>Idempotent-Replayed: true</c>, whatever its status, as Stripe's answers do.
    /// </remarks>
    public static IResult ToHttp(WriteOutcome outcome, HttpResponse response)
    {
        if (outcome.Replayed)
        {
            response.Headers[IdempotencyKeyHeader.ReplayedName] = "true";
        }

        if (outcome is WriteOutcome.WriteCommitted { QuorumDelay: { } delay })
        {
            // The simulated lag is part of what the client measures; naming it lets a client (the
            // experiment) subtract it and see what the store itself costs.
            response.Headers.Append("Server-Timing", QuorumDelayTiming(delay));
        }

        return ToResult(outcome);
    }

    /// <summary>
    /// The <c>Server-Timing</c> metric <c>quorum-delay</c>: <c>dur</c> is the simulated delay, in ms,
    /// drawn for the follower whose acknowledgement completed the quorum (the W-th distinct one).
    /// </summary>
    public static string QuorumDelayTiming(TimeSpan delay) =>
        string.Create(CultureInfo.InvariantCulture,
            $"quorum-delay;dur={delay.TotalMilliseconds:0.###};desc=\"injected delay of the acknowledgement that completed the quorum\"");

    private static IResult ToResult(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.WriteCommitted c => TypedResults.Ok(new WriteResponse(c.Key, c.Seq, c.Acks, c.WriteQuorum)),
        WriteOutcome.QuorumNotReached q => Problem(StatusCodes.Status504GatewayTimeout, "quorum-not-reached", "Write quorum not reached",
            $"write seq {q.Seq} was acknowledged by {q.Acks} of the {q.WriteQuorum} followers it waits for in time. " +
            "It is applied on the leader, is not rolled back, and keeps replicating to the followers.",
            new() { ["key"] = q.Key, ["seq"] = q.Seq, ["acks"] = q.Acks, ["writeQuorum"] = q.WriteQuorum }),
        WriteOutcome.KeyNotFound n => KeyNotFound(n.Key),
        WriteOutcome.IdempotencyKeyReused r => Problem(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "Idempotency key reused",
            $"the {IdempotencyKeyHeader.Name} '{r.IdempotencyKey}' was used for a different request (method, key or value); nothing changed. Use a new key for a new write",
            new() { ["key"] = r.Key, ["idempotencyKey"] = r.IdempotencyKey }),
        WriteOutcome.WriteFailed f => Problem(StatusCodes.Status500InternalServerError, "write-failed", "Write failed",
            $"the leader could not apply the write: {f.Error}"),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown write outcome"),
    };

    /// <summary>
    /// Completes the problem documents that ASP.NET Core writes itself (routing's 404 and 405, the
    /// exception handler's 500), which carry neither a kvstore <c>type</c> nor a <c>detail</c>, so that
    /// every error a client sees has the same shape. Our own problems pass through unchanged.
    /// </summary>
    public static void CompleteFrameworkProblem(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type?.StartsWith(TypePrefix, StringComparison.Ordinal) == true)
        {
            return;
        }

        var request = context.HttpContext.Request;
        (problem.Type, problem.Detail) = problem.Status switch
        {
            StatusCodes.Status404NotFound => (TypePrefix + "not-found", problem.Detail ?? $"no endpoint for {request.Method} {request.Path}"),
            StatusCodes.Status405MethodNotAllowed => (TypePrefix + "method-not-allowed", problem.Detail ?? $"{request.Method} is not allowed on {request.Path}"),
            >= 500 => (TypePrefix + "internal-error", problem.Detail ?? "the node failed to handle this request; its log says why"),
            var status => (TypePrefix + "http-" + status, problem.Detail ?? problem.Title ?? "the request was refused"),
        };
    }

    private static ProblemHttpResult Problem(int status, string type, string title, string detail, Dictionary<string, object?>? extensions = null) =>
        Problems.Create(status, type, title, detail, extensions);
}
