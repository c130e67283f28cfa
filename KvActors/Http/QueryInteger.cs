using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace KvActors.Http;

/// <summary>
/// The one rule for an integer in a query string, on both HTTP surfaces (the client API's
/// <c>minSeq</c> and <c>maxWaitMs</c>, the catch-up's <c>epoch</c>, <c>after</c> and <c>limit</c>):
/// given exactly once, plain decimal digits (no sign, space, exponent or fraction), within a range,
/// so that a typo is a 400 rather than a request that quietly asks for something else.
/// </summary>
public static class QueryInteger
{
    /// <summary>Parses one query parameter's values.</summary>
    /// <param name="values">The parameter's values as the query holds them (none when it is absent).</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <param name="value">The integer, when this returns true.</param>
    /// <returns>True for exactly one value of digits only from <paramref name="min"/> to <paramref name="max"/>; false otherwise, absence included.</returns>
    public static bool TryParse(StringValues values, long min, long max, out long value)
    {
        value = 0;
        return values.Count == 1
            && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max;
    }
}
