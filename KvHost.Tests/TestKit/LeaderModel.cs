using System.Text;
using System.Text.Json;

namespace KvHost.Tests.TestKit;

/// <summary>
/// What the leader's <c>GET /kv</c> must be after each generated request: the leader is the only
/// writer, so its state moves one <c>seq</c> for a valid PUT or a DELETE of a key it holds, and for
/// nothing else, byte for byte.
/// </summary>
public sealed class LeaderModel
{
    private readonly Dictionary<string, (JsonElement Value, long Seq)> _items = new(StringComparer.Ordinal);

    private LeaderModel(string raw) => Resync(raw);

    /// <summary>A request's effect on the leader: none, a put, or a delete.</summary>
    public abstract record Effect
    {
        public sealed record None : Effect;

        public sealed record Put(string Key, string Value) : Effect;

        public sealed record Delete(string Key) : Effect;
    }

    public long AppliedSeq { get; private set; }

    /// <summary>The leader's <c>GET /kv</c> as last seen and checked.</summary>
    public string Raw { get; private set; } = string.Empty;

    public static LeaderModel From(string raw) => new(raw);

    /// <summary>The contract's rules for a key (API.md): 1 to 256 bytes of UTF-8, no control characters.</summary>
    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Any(char.IsControl))
        {
            return false;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(key) <= 256;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    public Effect Predict(GeneratedRequest request)
    {
        if (request.Target is not { Kind: TargetKind.KvKey, Key: { } key } || !IsValidKey(key))
        {
            return new Effect.None();
        }

        return request.Method switch
        {
            "PUT" when RequestGenerators.IsJson(request.ContentType) && request.Body is { Meaning: BodyMeaning.Put, Value: { } value } => new Effect.Put(key, value),

            // A DELETE's body, if any, is not read: only the key decides.
            "DELETE" when _items.ContainsKey(key) => new Effect.Delete(key),
            _ => new Effect.None(),
        };
    }

    /// <summary>
    /// Checks the leader's state after a request against <paramref name="expected"/>, then takes it as
    /// the new baseline, even on a mismatch: shrinking replays smaller requests from the real state.
    /// </summary>
    /// <returns>Null when it matches, else what differs.</returns>
    public string? Verify(Effect expected, string raw)
    {
        var (before, seq) = (Raw, AppliedSeq);
        var predicted = new Dictionary<string, (JsonElement Value, long Seq)>(_items, StringComparer.Ordinal);
        switch (expected)
        {
            case Effect.Put put:
                predicted[put.Key] = (JsonSerializer.Deserialize<JsonElement>(put.Value), seq + 1);
                break;
            case Effect.Delete delete:
                predicted.Remove(delete.Key);
                break;
        }

        Resync(raw);
        if (expected is Effect.None)
        {
            return raw == before ? null : $"the leader's state changed from\n{Shorten(before)}\nto\n{Shorten(raw)}";
        }

        if (AppliedSeq != seq + 1)
        {
            return $"appliedSeq went from {seq} to {AppliedSeq}, not to {seq + 1}";
        }

        var wrong = predicted.Keys.Union(_items.Keys)
            .Where(k => !predicted.TryGetValue(k, out var p) || !_items.TryGetValue(k, out var a) || p.Seq != a.Seq || !JsonElement.DeepEquals(p.Value, a.Value))
            .ToList();
        return wrong.Count == 0 ? null : $"keys {string.Join(", ", wrong.Select(k => $"'{k}'"))} differ from the model; the leader holds\n{Shorten(raw)}";
    }

    private void Resync(string raw)
    {
        var root = JsonSerializer.Deserialize<JsonElement>(raw);
        Raw = raw;
        AppliedSeq = root.GetProperty("appliedSeq").GetInt64();
        _items.Clear();
        foreach (var item in root.GetProperty("items").EnumerateObject())
        {
            _items[item.Name] = (item.Value.GetProperty("value").Clone(), item.Value.GetProperty("seq").GetInt64());
        }
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "...";
}
