using System.Text;

namespace KvHost.Tests.TestKit;

/// <summary>Where a generated path lands once Kestrel has decoded and normalised it, so the model need not guess.</summary>
public enum TargetKind
{
    /// <summary><c>/kv/{key}</c>; <see cref="Target.Key"/> is the key the handler sees (maybe empty or invalid).</summary>
    KvKey,
    KvAll,
    Health,
    Status,
    ReplicationEntries,
    ReplicationSnapshot,

    /// <summary>No endpoint: routing answers 404 or 405.</summary>
    NoRoute,

    /// <summary>Kestrel refuses the request line itself (a NUL in the path, a target over 8 KB), before any middleware runs.</summary>
    RejectedByKestrel,
}

/// <summary>A path as sent on the wire (never canonicalised by the client) and where it lands.</summary>
public sealed record Target(string Path, TargetKind Kind, string? Key = null)
{
    public bool IsReplication => Kind is TargetKind.ReplicationEntries or TargetKind.ReplicationSnapshot;
}

/// <summary>What a body means, decided when it was built rather than by parsing it with the server's own code.</summary>
public enum BodyMeaning
{
    /// <summary>Anything the contract refuses: bad JSON, wrong shape, null, oversized, too deep, an unpaired surrogate...</summary>
    Malformed,

    /// <summary><c>{"value": v}</c> with v non-null, at most MAX_VALUE_BYTES, nesting within 64, the body within its cap.</summary>
    Put,

    /// <summary>A replication entry a follower would accept: integers from 1, op put with a value or delete without, a valid key.</summary>
    Entry,
}

/// <summary>A body: its bytes, a label saying how it was made, and (for a valid put) the value's JSON text.</summary>
public sealed record Body(byte[] Bytes, string Label, BodyMeaning Meaning, string? Value = null)
{
    public static Body Of(string text, string label, BodyMeaning meaning, string? value = null) =>
        new(Encoding.UTF8.GetBytes(text), label, meaning, value);

    public override string ToString()
    {
        // Counterexamples must stay readable: show the start of a long body and say how long it is.
        var text = Encoding.UTF8.GetString(Bytes);
        var shown = text.Length <= 160 ? text : $"{text[..120]}...({Bytes.Length} bytes)";
        return $"{shown}    [{Label}, {Meaning}]";
    }
}

/// <summary>One generated HTTP request, printed as the request itself so a shrunk counterexample reads like a curl line.</summary>
public sealed record GeneratedRequest(string Method, Target Target, string? ContentType, Body? Body, string? Authorization, bool Chunked)
{
    public const string Json = "application/json";

    public HttpRequestMessage ToHttpRequest(Uri node)
    {
        // Paths go out verbatim: dot segments and odd escapes are the server's to handle, not HttpClient's.
        var request = new HttpRequestMessage(new HttpMethod(Method), RawTarget.On(node, Target.Path));
        if (Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }

        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body.Bytes);
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            request.Headers.TransferEncodingChunked = Chunked ? true : null;
        }

        return request;
    }

    public override string ToString()
    {
        var text = new StringBuilder($"{Method} {Shorten(Target.Path)}  ({Target.Kind}{(Target.Key is { } key ? $" key \"{Shorten(key)}\"" : string.Empty)})");
        text.Append(ContentType is null ? "; no Content-Type" : $"; Content-Type: {ContentType}");
        text.Append(Authorization is null ? "; no Authorization" : $"; Authorization: {Authorization}");
        text.Append(Chunked && Body is not null ? "; chunked" : string.Empty);
        text.Append(Body is null ? "; no body" : $"; body {Body}");
        return text.ToString();
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : $"{text[..60]}...({text.Length} chars)";
}
