using System.Globalization;
using KvActors.Http;
using Microsoft.Extensions.Primitives;

namespace KvHost.Api;

/// <summary>
/// A read that asks for a state at least as new as a write it knows of: <c>?minSeq=S</c> on
/// <c>GET /kv</c> or <c>GET /kv/{key}</c>, where S is the <c>seq</c> of a write's answer, waiting up
/// to <c>maxWaitMs</c> (default <see cref="DefaultMaxWaitMs"/>, at most <see cref="MaxMaxWaitMs"/>)
/// for this node to apply it. Reading your own writes (DDIA ch. 5) from any node, as MySQL's
/// <c>WAIT_FOR_EXECUTED_GTID_SET</c>, PostgreSQL's wait for a replay LSN and MongoDB's causally
/// consistent reads (<c>afterClusterTime</c>) give it.
/// </summary>
/// <param name="MinSeq">The <c>seq</c> the answer's state must have reached, 0 to <see cref="long.MaxValue"/>.</param>
/// <param name="MaxWait">How long the node may wait for it before it answers 504.</param>
internal sealed record ReadYourWrites(long MinSeq, TimeSpan MaxWait)
{
    /// <summary>The wait when the request names none: longer than a follower usually lags, short enough that a client soon learns it is far behind.</summary>
    public const int DefaultMaxWaitMs = 1000;

    /// <summary>The longest wait a request may ask for: past it a client is better served by another node, or the leader.</summary>
    public const int MaxMaxWaitMs = 10_000;

    /// <summary>Reads <c>minSeq</c> and <c>maxWaitMs</c>; other parameters are ignored, as in any GET.</summary>
    /// <param name="query">The request's query.</param>
    /// <param name="wait">The wait asked for, or null when the request has no <c>minSeq</c> (a plain read).</param>
    /// <returns>Null when both are well-formed (or absent), otherwise a sentence for a 400 problem's detail.</returns>
    public static string? Parse(IQueryCollection query, out ReadYourWrites? wait)
    {
        ArgumentNullException.ThrowIfNull(query);
        wait = null;
        if (Integer(query, "minSeq", long.MaxValue, out var minSeq) is { } badSeq)
        {
            return badSeq;
        }

        if (Integer(query, "maxWaitMs", MaxMaxWaitMs, out var maxWaitMs) is { } badWait)
        {
            return badWait;
        }

        if (minSeq is { } seq)
        {
            wait = new ReadYourWrites(seq, TimeSpan.FromMilliseconds(maxWaitMs ?? DefaultMaxWaitMs));
        }

        return null;
    }

    // QueryInteger's rule, with a detail that says which part of it the value broke.
    private static string? Integer(IQueryCollection query, string name, long max, out long? value)
    {
        value = null;
        if (!query.TryGetValue(name, out StringValues values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            return $"'{name}' is given {values.Count} times; give it once";
        }

        if (!QueryInteger.TryParse(values, 0, max, out var parsed))
        {
            var shown = values[0] is { Length: > 40 } text ? text[..40] + "..." : values[0];
            return $"'{name}' is '{shown}'; it must be an integer from 0 to {max.ToString(CultureInfo.InvariantCulture)}";
        }

        value = parsed;
        return null;
    }
}
