using System.Text;
using KvActors.Store;
using Microsoft.AspNetCore.Http.Features;

namespace KvHost.Api;

/// <summary>
/// The key a client meant: the <c>{key}</c> segment of <c>/kv/{key}</c> as sent, percent-decoded
/// once (RFC 3986 §2.1) into bytes that must be UTF-8, then held to <see cref="KeyRules"/>. So
/// <c>dir%2Ffile</c> is the key <c>dir/file</c>, <c>100%25</c> is <c>100%</c>, and <c>%FF</c> is a 400.
/// </summary>
/// <remarks>
/// <para>The route value cannot be used: Kestrel decodes the path before routing, but neither wholly
/// nor reversibly. It keeps <c>%2F</c> (an encoded slash must not split a segment) and any escape
/// that is not UTF-8 as they are, yet decodes <c>%25</c>, so <c>/kv/a%252Fb</c> (the key <c>a%2Fb</c>)
/// and <c>/kv/a%2Fb</c> (the key <c>a/b</c>) both reach routing as <c>a%2Fb</c>. The raw request
/// target still says which was sent; this type reads the segment from there and decodes it itself.</para>
/// <para>Dot segments (<c>/kv/./k</c>, <c>/x/%2E%2E/kv/k</c>) are removed first, as RFC 3986 §5.2.4
/// and Kestrel's own normalisation do, so that the raw segment is the one routing matched. Kestrel
/// never splits at <c>%2F</c>, so its path and the raw one have the same segments; a request where
/// they do not is refused rather than guessed at.</para>
/// </remarks>
internal static class KeySegment
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the key of a request routed to <c>/kv/{key}</c> or <c>/kv/{key?}</c>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="key">The decoded key when valid; otherwise empty.</param>
    /// <returns>Null when the key is valid, otherwise a sentence for a 400 problem's detail.</returns>
    public static string? Read(HttpContext context, out string key)
    {
        key = string.Empty;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (rawTarget is null || RawPath(rawTarget) is not { } rawPath)
        {
            return "the request target could not be read as /kv/{key}";
        }

        var segments = WithoutDotSegments(rawPath);
        var routed = context.Request.Path.Value?.Split('/').Length - 1;
        if (routed != segments.Count)
        {
            return "the request's path could not be matched to /kv/{key}; send the key as one segment, its '/' as %2F";
        }

        return Decode(segments.Count > 1 ? segments[1] : string.Empty, out key);
    }

    /// <summary>
    /// Decodes one raw path segment: every <c>%XX</c> becomes the byte XX, once (so <c>%252F</c> is
    /// <c>%2F</c>, not <c>/</c>), the bytes are read as strict UTF-8, and the result must be a valid key.
    /// </summary>
    /// <param name="segment">The segment as sent: ASCII, with percent escapes.</param>
    /// <param name="key">The decoded key when valid; otherwise empty.</param>
    /// <returns>Null when the key is valid, otherwise a sentence for a 400 problem's detail.</returns>
    public static string? Decode(string segment, out string key)
    {
        ArgumentNullException.ThrowIfNull(segment);
        key = string.Empty;
        var bytes = new byte[segment.Length];
        var length = 0;
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !char.IsAsciiHexDigit(segment[i + 1]) || !char.IsAsciiHexDigit(segment[i + 2]))
                {
                    return "the key has a '%' that is not followed by two hex digits; a '%' in a key is sent as %25";
                }

                bytes[length++] = (byte)((HexValue(segment[i + 1]) << 4) | HexValue(segment[i + 2]));
                i += 2;
            }
            else if (char.IsAscii(c))
            {
                bytes[length++] = (byte)c;
            }
            else
            {
                return "the request target has a character that is not ASCII; send the key's UTF-8 bytes percent-encoded";
            }
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return "the key, percent-decoded, is not valid UTF-8; a key is 1 to 256 bytes of UTF-8, each byte that is not a URI character sent as %XX";
        }

        if (KeyRules.Validate(decoded) is { } invalid)
        {
            return invalid;
        }

        key = decoded;
        return null;
    }

    /// <summary>The path of a raw request target: origin form (<c>/kv/k?x</c>) or absolute form (<c>http://host/kv/k</c>), without its query.</summary>
    private static string? RawPath(string rawTarget)
    {
        var path = rawTarget;
        if (!path.StartsWith('/'))
        {
            var scheme = path.IndexOf("://", StringComparison.Ordinal);
            if (scheme < 0)
            {
                return null;
            }

            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path[slash..];
        }

        var end = path.IndexOfAny(['?', '#']);
        return end < 0 ? path : path[..end];
    }

    /// <summary>
    /// The segments after the leading '/' with <c>.</c> and <c>..</c> (also as <c>%2E</c>) resolved as RFC 3986
    /// §5.2.4 does: a dot segment at the end leaves an empty last segment (<c>/kv/k/.</c> is <c>/kv/k/</c>).
    /// </summary>
    private static List<string> WithoutDotSegments(string rawPath)
    {
        var parts = rawPath.Split('/');
        var output = new List<string>(parts.Length);
        for (var i = 1; i < parts.Length; i++)
        {
            var dots = DotSegment(parts[i]);
            if (dots == 2 && output.Count > 0)
            {
                output.RemoveAt(output.Count - 1);
            }

            if (dots == 0)
            {
                output.Add(parts[i]);
            }
            else if (i == parts.Length - 1)
            {
                output.Add(string.Empty);
            }
        }

        return output;
    }

    /// <summary>1 for <c>.</c>, 2 for <c>..</c>, either spelled with <c>%2E</c>; 0 for any other segment.</summary>
    private static int DotSegment(string segment)
    {
        var s = segment.Replace("%2E", ".", StringComparison.OrdinalIgnoreCase);
        return s switch
        {
            "." => 1,
            ".." => 2,
            _ => 0,
        };
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
