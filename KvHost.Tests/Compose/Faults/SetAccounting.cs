using System.Text.Json;

namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// The load's writes counted as Jepsen counts a set: every key was written once, so comparing the
/// attempted and acknowledged keys with the keys the leader finally holds says exactly what
/// survived. <see cref="Lost"/> and <see cref="Unexpected"/> must be empty; <see cref="Recovered"/>
/// (not acknowledged, yet present) is allowed, as with any write whose answer was a 504 or nothing.
/// </summary>
internal sealed record SetAccounting(
    int Attempted,
    int Acknowledged,
    int NotAcknowledged,
    int Unavailable,
    IReadOnlyList<WriteRecord> Lost,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> WrongValue,
    int Recovered)
{
    /// <summary>Counts <paramref name="writes"/> against the leader's final <c>GET /kv</c>.</summary>
    public static SetAccounting Count(IReadOnlyList<WriteRecord> writes, JsonElement leaderKv, string prefix)
    {
        var held = leaderKv.GetProperty("items").EnumerateObject()
            .Where(item => item.Name.StartsWith(prefix + "-", StringComparison.Ordinal))
            .ToDictionary(item => item.Name, item => item.Value, StringComparer.Ordinal);
        var attempted = writes.ToDictionary(w => w.Key, StringComparer.Ordinal);

        var wrongValue = held
            .Where(item => attempted.TryGetValue(item.Key, out var write)
                && !(item.Value.GetProperty("value").TryGetInt64(out var n) && n == write.N))
            .Select(item => $"{item.Key} holds {item.Value.GetProperty("value").GetRawText()}")
            .ToList();

        return new SetAccounting(
            Attempted: writes.Count,
            Acknowledged: writes.Count(w => w.Outcome == WriteOutcome.Acknowledged),
            NotAcknowledged: writes.Count(w => w.Outcome == WriteOutcome.NotAcknowledged),
            Unavailable: writes.Count(w => w.Outcome == WriteOutcome.Unavailable),
            Lost: [.. writes.Where(w => w.Outcome == WriteOutcome.Acknowledged && !held.ContainsKey(w.Key))],
            Unexpected: [.. held.Keys.Where(key => !attempted.ContainsKey(key)).Order(StringComparer.Ordinal)],
            WrongValue: wrongValue,
            Recovered: writes.Count(w => w.Outcome != WriteOutcome.Acknowledged && held.ContainsKey(w.Key)));
    }

    /// <summary>One line per broken rule; at most a few writes each, with the count of the rest. No acknowledged write may be lost.</summary>
    public IReadOnlyList<string> Violations()
    {
        var broken = new List<string>();
        if (Lost.Count > 0)
        {
            broken.Add($"{Lost.Count} acknowledged writes lost (missing from the leader's /kv), e.g. {string.Join("; ", Lost.Take(5))}");
        }

        if (Unexpected.Count > 0)
        {
            broken.Add($"{Unexpected.Count} keys on the leader that were never attempted, e.g. {string.Join(", ", Unexpected.Take(5))}");
        }

        if (WrongValue.Count > 0)
        {
            broken.Add($"{WrongValue.Count} keys with a value that was never written to them, e.g. {string.Join(", ", WrongValue.Take(5))}");
        }

        return broken;
    }
}
