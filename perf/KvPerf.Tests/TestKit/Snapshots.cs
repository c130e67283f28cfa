using System.Text.Json;
using KvPerf.Client;

namespace KvPerf.Tests.TestKit;

/// <summary>
/// Builds <c>GET /kv</c> snapshots the way the program gets them: from the JSON shape of
/// shared/API.md, parsed with the program's own records.
/// </summary>
internal static class Snapshots
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>A snapshot of <paramref name="node"/> at <paramref name="appliedSeq"/> holding (key, value JSON, seq) items.</summary>
    public static KvSnapshot Of(string node, long appliedSeq, params (string Key, string ValueJson, long Seq)[] items)
    {
        var itemsJson = string.Join(", ", items.Select(i => $"\"{i.Key}\": {{\"value\": {i.ValueJson}, \"seq\": {i.Seq}}}"));
        var role = node == "leader" ? "leader" : "follower";
        var json = $"{{\"node\": \"{node}\", \"role\": \"{role}\", \"appliedSeq\": {appliedSeq}, \"items\": {{{itemsJson}}}}}";
        return JsonSerializer.Deserialize<KvSnapshot>(json, Web)!;
    }
}
