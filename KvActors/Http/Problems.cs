using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KvActors.Http;

/// <summary>
/// The problem documents (RFC 9457) that both of a node's HTTP surfaces answer, the client API
/// (<c>KvHost/Api</c>) and the replication protocol's server (<see cref="Replication.CatchUp.CatchUpServer"/>),
/// and the factory every other problem is made with, so that a cause has one <c>type</c>
/// (<c>urn:kvstore:problem:NAME</c>, the contract's) whichever endpoint answers it.
/// </summary>
public static class Problems
{
    /// <summary>What every kvstore problem <c>type</c> begins with.</summary>
    public const string TypePrefix = "urn:kvstore:problem:";

    /// <summary>400: the request is malformed; <paramref name="detail"/> says what it must be.</summary>
    /// <param name="detail">What was wrong and what is expected.</param>
    /// <returns>The problem, type <c>bad-request</c>.</returns>
    public static ProblemHttpResult BadRequest(string detail) =>
        Create(StatusCodes.Status400BadRequest, "bad-request", "Bad request", detail);

    /// <summary>401: a replication request without the token or with a wrong one; nothing was read or changed.</summary>
    /// <returns>The problem, type <c>unauthorized</c>.</returns>
    public static ProblemHttpResult Unauthorized() =>
        Create(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized",
            "replication requests must carry 'Authorization: Bearer <REPLICATION_TOKEN>'; this one carried none or a wrong one, and nothing changed");

    /// <summary>503: an actor did not answer in time; the caller may ask again.</summary>
    /// <param name="detail">What did not answer.</param>
    /// <returns>The problem, type <c>unavailable</c>.</returns>
    public static ProblemHttpResult Unavailable(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable", detail);

    /// <summary>A problem of type <see cref="TypePrefix"/> + <paramref name="type"/>.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="type">The problem's name, kebab-case (<c>not-leader</c>).</param>
    /// <param name="title">A short title for the type.</param>
    /// <param name="detail">This occurrence, for a human.</param>
    /// <param name="extensions">Extension fields the contract names (<c>leader</c>, <c>acks</c>, ...), if any.</param>
    /// <returns>The problem.</returns>
    public static ProblemHttpResult Create(int status, string type, string title, string detail, Dictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: TypePrefix + type, extensions: extensions);
}
