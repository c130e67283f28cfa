using System.Security.Cryptography;
using System.Text;
using KvActors.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvActors.Replication.CatchUp;

/// <summary>
/// Guards every <c>/replication</c> endpoint: the request must carry <c>Authorization: Bearer
/// {REPLICATION_TOKEN}</c>, or it is answered 401 before its body is read, and nothing changes.
/// </summary>
/// <remarks>
/// The comparison is of SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>:
/// its time depends neither on how many leading characters match nor on the presented token's
/// length, so response times leak nothing an attacker could use to guess the token byte by byte.
/// </remarks>
internal static class ReplicationAuth
{
    /// <summary>The scheme in <c>Authorization</c> and in the 401's <c>WWW-Authenticate</c>.</summary>
    public const string Scheme = "Bearer";

    /// <summary>Adds the check to every endpoint of <paramref name="group"/>, before any filter added after it.</summary>
    public static RouteGroupBuilder RequireReplicationToken(this RouteGroupBuilder group, string token)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (IsAuthorized(http.Request.Headers.Authorization.ToString(), token))
            {
                return await next(context);
            }

            http.Response.Headers.WWWAuthenticate = $"{Scheme} realm=\"kvstore-replication\"";
            return Problems.Unauthorized();
        });
        return group;
    }

    /// <summary>True when <paramref name="header"/> is <c>Bearer {expected}</c>.</summary>
    public static bool IsAuthorized(string? header, string expected)
    {
        var presented = header is not null && header.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase)
            ? header[(Scheme.Length + 1)..].Trim()
            : string.Empty;
        return CryptographicOperations.FixedTimeEquals(Digest(presented), Digest(expected));
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
