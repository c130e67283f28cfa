using System.Runtime.InteropServices;
using System.Text.Json;

namespace KvActors.Store;

/// <summary>
/// What a stored value may be, checked wherever a value enters a node: a client's <c>PUT</c>, and an
/// entry arriving from another node.
/// </summary>
public static class ValueRules
{
    /// <summary>Deepest accepted document nesting: JSON's usual limit, well clear of stack trouble.</summary>
    public const int MaxDocumentDepth = 64;

    /// <summary>
    /// Deepest accepted value: a value is sent on inside envelopes three levels deep (<c>GET /kv</c>'s
    /// <c>{"items": {key: {"value": ...}}}</c>, a snapshot, a catch-up page's <c>{"entries": [{"value": ...}]}</c>),
    /// which System.Text.Json writes and reads only up to <see cref="MaxDocumentDepth"/> levels in all.
    /// </summary>
    public const int MaxDepth = MaxDocumentDepth - 3;

    /// <summary>How deeply a value nests: 0 for a scalar, 1 for <c>[1]</c>, 2 for <c>[[1]]</c>.</summary>
    /// <param name="value">A parsed value.</param>
    /// <returns>Its nesting depth.</returns>
    public static int Depth(JsonElement value)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value), new JsonReaderOptions { MaxDepth = MaxDocumentDepth });
        var deepest = 0;
        while (reader.Read())
        {
            // A container's own token sits at the depth outside it; an empty one has nothing inside.
            var depth = reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject ? reader.CurrentDepth + 1 : reader.CurrentDepth;
            deepest = Math.Max(deepest, depth);
        }

        return deepest;
    }

    /// <summary>Checks a value that came from another node, whose JSON was not read by our body reader.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Null when it can be stored and served, otherwise what is wrong with it.</returns>
    public static string? Validate(JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return "the value is missing or null";
        }

        if (Depth(value) > MaxDepth)
        {
            return $"the value nests deeper than {MaxDepth} levels";
        }

        try
        {
            // A string with an unpaired surrogate escape parses but can never be written out again,
            // which would break every later read, snapshot and catch-up of the store.
            using var sink = new Utf8JsonWriter(Stream.Null);
            value.WriteTo(sink);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return $"the value is not valid Unicode text ({ex.Message})";
        }
    }
}
