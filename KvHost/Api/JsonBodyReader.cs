using System.Buffers;
using System.Text.Json;
using System.Runtime.InteropServices;
using KvActors.Store;

namespace KvHost.Api;

/// <summary>
/// Reads a request body as JSON under our own rules, so that every malformed body gets a 4xx problem
/// document (ASP.NET Core's own binding answers some malformed JSON with a 500 in Development):
/// JSON content type (else 415), a size cap (else 413), strict JSON with no duplicate properties and
/// a nesting limit (else 400).
/// </summary>
internal static class JsonBodyReader
{
    /// <summary>Bytes a body may have beyond its value: field names, key, numbers, white space.</summary>
    public const int EnvelopeBytes = 4096;

    /// <summary>Bytes asked of the body per read; a body is read at most this far past the cap.</summary>
    public const int ReadBufferBytes = 16 * 1024;

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = ValueRules.MaxDocumentDepth,
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Reads and parses the body.</summary>
    /// <param name="request">The request.</param>
    /// <param name="maxBytes">Largest accepted body in bytes.</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    /// <returns>The parsed document (the caller disposes it), or the problem to answer with.</returns>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, Outcomes.UnsupportedMediaType(request.ContentType));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, Outcomes.TooLarge($"the body is {request.ContentLength} bytes; at most {maxBytes} are accepted"));
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(buffer.GetMemory(ReadBufferBytes)[..ReadBufferBytes], cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return (null, Outcomes.TooLarge($"the body is over {maxBytes} bytes"));
                }
            }
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel reads a chunked body ahead of us and enforces its own limit (or finds the
            // chunking malformed) first: the same refusal, so the same kind of problem document.
            return (null, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Outcomes.TooLarge($"the body is over {maxBytes} bytes")
                : Outcomes.BadRequest($"the body could not be read: {ex.Message}"));
        }

        if (buffer.WrittenCount == 0)
        {
            return (null, Outcomes.BadRequest("the body is empty; it must be a JSON object"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.WrittenMemory, Options);
        }
        catch (JsonException ex)
        {
            return (null, Outcomes.BadRequest($"the body is not valid JSON: {ex.Message}"));
        }
        catch (InvalidOperationException ex)
        {
            // The parser's duplicate-property check decodes every property name, and throws this
            // (not a JsonException) for one that is not valid Unicode, such as {"\uD800": 1}.
            return (null, Outcomes.BadRequest($"the body is not valid JSON text: a property name is not valid Unicode ({ex.Message})"));
        }

        if (FindUnreadableString(buffer.WrittenSpan) is { } unreadable)
        {
            document.Dispose();
            return (null, Outcomes.BadRequest($"the body is not valid JSON text: {unreadable}"));
        }

        return (document, null);
    }

    /// <summary>
    /// Finds a string or property name that is not Unicode text: an unpaired surrogate escape
    /// (<c>"\uD800"</c>) or bytes that are not UTF-8. The parser accepts both. A stored unpaired
    /// surrogate cannot be written out again, so every later <c>GET /kv</c>, snapshot and replication of
    /// the store would fail with a 500; bytes that are not UTF-8 would be copied out as they came,
    /// making each of those answers JSON text that is not UTF-8, which RFC 8259 forbids.
    /// </summary>
    private static string? FindUnreadableString(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ValueRules.MaxDocumentDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException ex)
                {
                    return $"a string at byte {reader.TokenStartIndex} is not valid Unicode ({ex.Message})";
                }
            }
        }

        return null;
    }

    /// <summary>Checks that <paramref name="body"/> is an object with no fields but <paramref name="allowed"/>.</summary>
    /// <param name="body">The parsed body.</param>
    /// <param name="shape">The expected shape, quoted in the problem's detail.</param>
    /// <param name="allowed">Accepted field names (case-sensitive, as JSON is).</param>
    /// <returns>Null when it fits, else a sentence for a 400.</returns>
    public static string? CheckFields(JsonElement body, string shape, params string[] allowed)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return $"the body must be a JSON object {shape}, not {body.ValueKind.ToString().ToLowerInvariant()}";
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                return $"unknown field '{property.Name}'; the body is {shape}";
            }
        }

        return null;
    }

    /// <summary>The size of a value as it was sent, in UTF-8 bytes of JSON text.</summary>
    /// <param name="value">A value from a parsed body.</param>
    /// <returns>Its raw length in bytes.</returns>
    public static int RawBytes(JsonElement value) => JsonMarshal.GetRawUtf8Value(value).Length;
}
