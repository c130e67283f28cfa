using System.Text.Json;

namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// Says how each follower differs from the leader when they failed to converge: seqs, how many keys
/// are missing, extra or different, and a few of each, so a failure points at the node and the writes.
/// </summary>
internal static class Divergence
{
    public static async Task<string> DescribeAsync(ComposeClusterFixture cluster)
    {
        var leader = await cluster.GetJsonAsync(ComposeClusterFixture.Leader, "/kv");
        var expected = Items(leader);
        var lines = new List<string>();
        for (var i = 1; i <= ComposeClusterFixture.Followers.Count; i++)
        {
            JsonElement state;
            try
            {
                state = await cluster.GetJsonAsync(ComposeClusterFixture.Node(i), "/kv");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                lines.Add($"follower{i}: GET /kv failed: {ex.Message}");
                continue;
            }

            var actual = Items(state);
            var missing = expected.Keys.Where(k => !actual.ContainsKey(k)).ToList();
            var extra = actual.Keys.Where(k => !expected.ContainsKey(k)).ToList();
            var different = expected.Keys.Where(k => actual.TryGetValue(k, out var v) && v != expected[k]).ToList();
            var seq = state.GetProperty("appliedSeq").GetInt64();
            if (seq == leader.GetProperty("appliedSeq").GetInt64() && missing.Count + extra.Count + different.Count == 0)
            {
                continue;
            }

            lines.Add($"follower{i}: appliedSeq {seq} vs the leader's {leader.GetProperty("appliedSeq").GetInt64()}; "
                + $"{missing.Count} keys missing{Some(missing)}, {extra.Count} extra{Some(extra)}, {different.Count} different{Some(different)}");
        }

        return lines.Count == 0 ? "equal now, but not within the bound" : string.Join("\n  ", lines);
    }

    private static Dictionary<string, string> Items(JsonElement kv) =>
        kv.GetProperty("items").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);

    private static string Some(List<string> keys) =>
        keys.Count == 0 ? string.Empty : $" ({string.Join(", ", keys.Take(3))}{(keys.Count > 3 ? ", ..." : string.Empty)})";
}
