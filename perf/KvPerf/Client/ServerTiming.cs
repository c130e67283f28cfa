using System.Globalization;

namespace KvPerf.Client;

/// <summary>
/// Reads a metric's duration from W3C Server Timing headers
/// (<c>Server-Timing: quorum-delay;dur=12.345;desc="..."</c>). The leader names in it the simulated
/// delay of the acknowledgement that completed a write's quorum, which the experiment subtracts
/// from the latency it measured.
/// </summary>
public static class ServerTiming
{
    /// <summary>The header's name.</summary>
    public const string HeaderName = "Server-Timing";

    /// <summary>
    /// The leader's metric on a committed write: <c>dur</c> is the injected delay, in ms, of the
    /// follower whose acknowledgement was the W-th distinct one.
    /// </summary>
    public const string QuorumDelayMetric = "quorum-delay";

    /// <summary>
    /// The <c>dur</c>, in ms, of the first metric named <paramref name="metric"/> in
    /// <paramref name="headerValues"/> (each a comma-separated list of metrics, as a response may
    /// carry several headers) whose <c>dur</c> is a finite number of at least 0;
    /// <see langword="null"/> when there is none, never 0 in its place. Metric names match exactly,
    /// parameter names ignoring case, and of a repeated parameter the first counts; quoted values
    /// may hold commas and semicolons.
    /// </summary>
    public static double? DurationMs(IEnumerable<string> headerValues, string metric)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        ArgumentException.ThrowIfNullOrEmpty(metric);
        foreach (var value in headerValues)
        {
            foreach (var entry in Split(value, ','))
            {
                var parts = Split(entry, ';');
                if (parts.Count == 0 || !string.Equals(parts[0].Trim(), metric, StringComparison.Ordinal))
                {
                    continue;
                }

                var dur = parts.Skip(1)
                    .Select(p => p.Split('=', 2))
                    .FirstOrDefault(p => string.Equals(p[0].Trim(), "dur", StringComparison.OrdinalIgnoreCase));
                if (dur is [_, var text]
                    && double.TryParse(Unquote(text.Trim()), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
                    && double.IsFinite(ms) && ms >= 0)
                {
                    return ms;
                }
            }
        }

        return null;
    }

    // Splits at the separator outside double quotes; a backslash escapes the next character in them.
    private static List<string> Split(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case var c when c == separator && !quoted:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(text[start..]);
        return parts.Where(p => p.Trim().Length > 0).ToList();
    }

    private static string Unquote(string text) =>
        text is ['"', .. var inner, '"'] ? inner : text;
}
