using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KvActors.Replication.Leader;
using KvActors.Store;

namespace KvHost.Api;

/// <summary>
/// The <c>Idempotency-Key</c> request header (IETF httpapi draft "The Idempotency-Key HTTP Header
/// Field"; Stripe's API) on <c>PUT</c> and <c>DELETE /kv/{key}</c>, and <c>Idempotent-Replayed</c>,
/// Stripe's answer header that marks an outcome replayed from an earlier request. The leader's write
/// coordinator keeps the keys (<see cref="IdempotencyTable{TWaiter}"/>); this edge checks the header
/// and fingerprints the request, since only it knows the method and the body.
/// </summary>
internal static class IdempotencyKeyHeader
{
    /// <summary>The request header.</summary>
    public const string Name = "Idempotency-Key";

    /// <summary>The answer header, <c>true</c> on an outcome replayed from an earlier request with the same key.</summary>
    public const string ReplayedName = "Idempotent-Replayed";

    /// <summary>The longest key in characters, Stripe's bound: room for a UUID or two, not for a payload.</summary>
    public const int MaxLength = 255;

    private const string Expected = "1 to 255 printable ASCII characters, bare (Stripe) or as a quoted Structured Field string (the IETF draft)";

    /// <summary>Reads the header of a write, if it carries one, and fingerprints the write.</summary>
    /// <param name="request">The write's request.</param>
    /// <param name="command">The validated write.</param>
    /// <returns>
    /// (null, null) without the header; (the request's key and fingerprint, null) with a good one;
    /// (null, why) with a bad one, for a 400: empty, longer than <see cref="MaxLength"/>, with a
    /// character outside printable ASCII (0x20 to 0x7E), a malformed quoted string, or more than one (two
    /// header lines, or a comma outside quotes, which is how HTTP joins them).
    /// </returns>
    public static (IdempotentRequest? Request, string? Invalid) Read(HttpRequest request, WriteCommand command)
    {
        if (!request.Headers.TryGetValue(Name, out var values))
        {
            return (null, null);
        }

        if (values.Count != 1)
        {
            return (null, $"the request carries {values.Count} {Name} headers; it may carry one, of {Expected}");
        }

        // HTTP joins repeated header lines with commas (RFC 9110 5.3), so a comma outside quotes means
        // two keys, whichever way they were sent; inside a quoted string it is the key's own.
        var raw = values[0] ?? string.Empty;
        if (!raw.StartsWith('"') && raw.Contains(','))
        {
            return (null, $"the request carries more than one {Name} (a comma outside quotes separates two); it may carry one, of {Expected}");
        }

        var key = Unquote(raw);
        return key switch
        {
            null => (null, $"the {Name} header is a malformed quoted string; it must be {Expected}"),
            { Length: 0 } => (null, $"the {Name} header is empty; it must be {Expected}"),
            { Length: > MaxLength } => (null, $"the {Name} header is {key.Length} characters long; it must be {Expected}"),
            _ when key.Any(c => c is < ' ' or > '~') => (null, $"the {Name} header contains a character that is not printable ASCII; it must be {Expected}"),
            _ => (new IdempotentRequest(key, Fingerprint(request.Method, command)), null),
        };
    }

    /// <summary>
    /// Hex SHA-256 of what the write asks for: the method, the decoded key and, for a put, the value
    /// as compact JSON, each prefixed by its length so that no two requests run together into the
    /// same bytes. Insignificant whitespace and string escapes are normalized away (the value is
    /// written anew); member order and the spelling of numbers (<c>1</c>, <c>1.0</c>) are kept, as
    /// the store keeps them.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="command">The validated write.</param>
    /// <returns>64 hex digits.</returns>
    public static string Fingerprint(string method, WriteCommand command)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendPart(hash, Encoding.ASCII.GetBytes(method));
        AppendPart(hash, Encoding.UTF8.GetBytes(command.Key));
        AppendPart(hash, command.Value is { } value ? JsonSerializer.SerializeToUtf8Bytes(value) : []);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static void AppendPart(IncrementalHash hash, byte[] part)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, part.Length);
        hash.AppendData(length);
        hash.AppendData(part);
    }

    // A value in double quotes is an RFC 8941 sf-string: \" and \\ are its only escapes. Anything else
    // is taken as it is. Null when the quoted form is malformed.
    private static string? Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var i = 1; i < value.Length - 1; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                if (++i == value.Length - 1 || value[i] is not ('"' or '\\'))
                {
                    return null;
                }

                c = value[i];
            }
            else if (c == '"')
            {
                return null;
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
