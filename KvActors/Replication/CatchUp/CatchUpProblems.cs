using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KvActors.Replication.CatchUp;

/// <summary>
/// The problem documents (RFC 9457) the replication endpoints answer themselves: a request without the
/// token, a malformed query, a store that did not answer. Their <c>type</c>s are the contract's
/// (<c>urn:kvstore:problem:NAME</c>), the same a client sees from the client API for the same cause;
/// answers that depend on the node rather than the protocol (not the leader, still recovering) are
/// the host's, which maps this server.
/// </summary>
internal static class CatchUpProblems
{
    private const string TypePrefix = "urn:kvstore:problem:";

    /// <summary>401: no token or a wrong one; nothing was read or changed.</summary>
    public static ProblemHttpResult Unauthorized() =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized",
            "replication requests must carry 'Authorization: Bearer <REPLICATION_TOKEN>'; this one carried none or a wrong one, and nothing changed");

    /// <summary>400: the query is malformed; <paramref name="detail"/> says what it must be.</summary>
    public static ProblemHttpResult BadRequest(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "bad-request", "Bad request", detail);

    /// <summary>503: the store did not answer in time; the follower asks again with backoff.</summary>
    public static ProblemHttpResult Unavailable(string detail) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable", detail);

    private static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: TypePrefix + type);
}
