using System.Net;
using System.Text;

namespace KvHost.Tests.TestKit;

/// <summary>
/// Malformed client and replication requests, each with the 4xx it must get. Shared by the
/// in-process and compose suites so both hold every node to the same rules.
/// </summary>
public static class MalformedRequests
{
    /// <summary>
    /// One request. <paramref name="Authorization"/> replaces the valid token (null: no header at all) when
    /// <paramref name="Forged"/>; <paramref name="IdempotencyKey"/>, when set, is sent as the <c>Idempotency-Key</c> header as is.
    /// </summary>
    public sealed record Case(string Name, HttpMethod Method, string Path, string? ContentType, string? Body, HttpStatusCode Expected, bool Chunked = false, bool Forged = false, string? Authorization = null, string? IdempotencyKey = null)
    {
        public override string ToString() => Name;

        /// <summary>The request for <paramref name="node"/>, carrying <paramref name="token"/> unless the case forges its own.</summary>
        public HttpRequestMessage ToRequest(Uri node, string token)
        {
            // Verbatim, so that an odd escape in a key reaches the node as written.
            var request = new HttpRequestMessage(Method, RawTarget.On(node, Path));
            var authorization = Forged ? Authorization : "Bearer " + token;
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            if (IdempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey);
            }

            request.Headers.TransferEncodingChunked = Chunked ? true : null;
            if (Body is not null)
            {
                request.Content = new StringContent(Body, Encoding.UTF8);
                request.Content.Headers.ContentType = ContentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(ContentType);
            }

            return request;
        }
    }

    private const string Json = "application/json";

    private const string ValidEntry = "{\"epoch\": 1, \"seq\": 1, \"op\": \"put\", \"key\": \"k\", \"value\": 1}";

    /// <summary>Sent to the leader; <paramref name="maxValueBytes"/> is the node's MAX_VALUE_BYTES.</summary>
    public static IEnumerable<Case> ForLeader(int maxValueBytes) =>
    [
        new("bad JSON", HttpMethod.Put, "/kv/k", Json, "{\"value\": ", HttpStatusCode.BadRequest),
        new("missing value", HttpMethod.Put, "/kv/k", Json, "{}", HttpStatusCode.BadRequest),
        new("null value", HttpMethod.Put, "/kv/k", Json, "{\"value\": null}", HttpStatusCode.BadRequest),
        new("unknown field", HttpMethod.Put, "/kv/k", Json, "{\"value\": 1, \"ttl\": 5}", HttpStatusCode.BadRequest),
        new("duplicate field", HttpMethod.Put, "/kv/k", Json, "{\"value\": 1, \"value\": 2}", HttpStatusCode.BadRequest),
        new("body not an object", HttpMethod.Put, "/kv/k", Json, "[1, 2]", HttpStatusCode.BadRequest),
        new("empty body", HttpMethod.Put, "/kv/k", Json, string.Empty, HttpStatusCode.BadRequest),
        new("deep nesting", HttpMethod.Put, "/kv/k", Json, "{\"value\": " + new string('[', 200) + new string(']', 200) + "}", HttpStatusCode.BadRequest),
        new("empty key", HttpMethod.Put, "/kv/", Json, "{\"value\": 1}", HttpStatusCode.BadRequest),
        new("oversized key", HttpMethod.Put, "/kv/" + new string('k', 257), Json, "{\"value\": 1}", HttpStatusCode.BadRequest),
        new("oversized value", HttpMethod.Put, "/kv/k", Json, "{\"value\": \"" + new string('v', maxValueBytes) + "\"}", HttpStatusCode.RequestEntityTooLarge),
        new("oversized body", HttpMethod.Put, "/kv/k", Json, "{\"value\": \"" + new string('v', maxValueBytes + 8192) + "\"}", HttpStatusCode.RequestEntityTooLarge),
        new("oversized chunked body (no Content-Length)", HttpMethod.Put, "/kv/k", Json, "{\"value\": \"" + new string('v', maxValueBytes + 100_000) + "\"}", HttpStatusCode.RequestEntityTooLarge, Chunked: true),
        // Found by GeneratedRequestProperties: each was accepted, then every GET /kv, snapshot and
        // replication of the store failed with a 500, because the value could not be written out again.
        new("unpaired surrogate in the value", HttpMethod.Put, "/kv/k", Json, "{\"value\": \"\\uD800\"}", HttpStatusCode.BadRequest),
        new("unpaired surrogate in a field name", HttpMethod.Put, "/kv/k", Json, "{\"\\uD800\": 1}", HttpStatusCode.BadRequest),
        new("value nested deeper than its answers can carry", HttpMethod.Put, "/kv/k", Json, "{\"value\": " + new string('[', 62) + new string(']', 62) + "}", HttpStatusCode.BadRequest),
        // A key is its segment percent-decoded once; what does not decode to 1 to 256 bytes of UTF-8 is refused, whatever the method.
        new("key not UTF-8 once decoded (%FF)", HttpMethod.Put, "/kv/%FF", Json, "{\"value\": 1}", HttpStatusCode.BadRequest),
        new("read of a key not UTF-8 once decoded", HttpMethod.Get, "/kv/%FF", null, null, HttpStatusCode.BadRequest),
        new("delete of a key not UTF-8 once decoded", HttpMethod.Delete, "/kv/%FF", null, null, HttpStatusCode.BadRequest),
        new("key with a lead byte and no continuation", HttpMethod.Put, "/kv/%C3%28", Json, "{\"value\": 1}", HttpStatusCode.BadRequest),
        new("key with a UTF-8-encoded surrogate", HttpMethod.Put, "/kv/%ED%A0%80", Json, "{\"value\": 1}", HttpStatusCode.BadRequest),
        new("key with a '%' not followed by two hex digits", HttpMethod.Put, "/kv/100%zz", Json, "{\"value\": 1}", HttpStatusCode.BadRequest),
        new("key of 257 bytes once decoded", HttpMethod.Put, "/kv/" + string.Concat(Enumerable.Repeat("%C3%A9", 128)) + "k", Json, "{\"value\": 1}", HttpStatusCode.BadRequest),
        new("key that is a dot segment", HttpMethod.Put, "/kv/%2E", Json, "{\"value\": 1}", HttpStatusCode.BadRequest),
        new("empty key on delete", HttpMethod.Delete, "/kv/", null, null, HttpStatusCode.BadRequest),
        .. BadReads,
        .. BadIdempotencyKeys,
        new("wrong content type", HttpMethod.Put, "/kv/k", "text/plain", "{\"value\": 1}", HttpStatusCode.UnsupportedMediaType),
        new("no content type", HttpMethod.Put, "/kv/k", null, "{\"value\": 1}", HttpStatusCode.UnsupportedMediaType),
        new("delete of a missing key", HttpMethod.Delete, "/kv/never-written", null, null, HttpStatusCode.NotFound),
        new("unknown path", HttpMethod.Get, "/nope", null, null, HttpStatusCode.NotFound),
        new("method not allowed", HttpMethod.Patch, "/kv/k", Json, "{\"value\": 1}", HttpStatusCode.MethodNotAllowed),
        new("entry pushed over HTTP", HttpMethod.Post, "/replication/entries", Json, ValidEntry, HttpStatusCode.MethodNotAllowed),
        new("catch-up with a negative seq", HttpMethod.Get, "/replication/entries?epoch=1&after=-1", null, null, HttpStatusCode.BadRequest),
        new("catch-up with a huge seq", HttpMethod.Get, "/replication/entries?epoch=1&after=99999999999999999999", null, null, HttpStatusCode.BadRequest),
        new("catch-up without an epoch", HttpMethod.Get, "/replication/entries?after=1", null, null, HttpStatusCode.BadRequest),
        new("catch-up with a zero limit", HttpMethod.Get, "/replication/entries?epoch=1&after=0&limit=0", null, null, HttpStatusCode.BadRequest),
        .. ForgedReplication,
    ];

    /// <summary>
    /// Requests a follower must refuse. Pushed entries travel over Akka.Remote, not HTTP: a POST of
    /// one is a 405, whatever its token (the malformed entries themselves are refused by the wire's
    /// serializer, see <see cref="MalformedEntries"/>).
    /// </summary>
    public static IEnumerable<Case> ForFollower() =>
    [
        new("entry pushed over HTTP", HttpMethod.Post, "/replication/entries", Json, ValidEntry, HttpStatusCode.MethodNotAllowed),
        new("catch-up asked of a follower", HttpMethod.Get, "/replication/entries?epoch=1&after=0", null, null, HttpStatusCode.Forbidden),
        new("client write", HttpMethod.Put, "/kv/k", Json, "{\"value\": 1}", HttpStatusCode.Forbidden),

        // A write to a follower learns where the leader is, even with a key the leader would refuse.
        new("client write of a key not UTF-8", HttpMethod.Put, "/kv/%FF", Json, "{\"value\": 1}", HttpStatusCode.Forbidden),
        new("client delete with an empty key", HttpMethod.Delete, "/kv/", null, null, HttpStatusCode.Forbidden),
        new("client write with an empty Idempotency-Key", HttpMethod.Put, "/kv/k", Json, "{\"value\": 1}", HttpStatusCode.Forbidden, IdempotencyKey: string.Empty),
        new("read of a key not UTF-8 once decoded", HttpMethod.Get, "/kv/%FF", null, null, HttpStatusCode.BadRequest),
        .. BadReads,
        .. ForgedReplication,
    ];

    /// <summary>Malformed <c>Idempotency-Key</c> values, each with why it is refused.</summary>
    public static TheoryData<string, string> BadIdempotencyKeyValues => new()
    {
        { "empty", string.Empty },
        { "256 characters", new string('k', 256) },
        { "a tab", "retry\t1" },
        { "a DEL character", "retry\u007F1" },
        { "a quoted string with an unescaped quote", "\"re\"try\"" },
        { "two keys joined by a comma", "retry-1, retry-2" },
    };

    /// <summary>Writes (PUT and DELETE) with a malformed <c>Idempotency-Key</c>: a 400 on the leader, nothing applied and no key remembered.</summary>
    public static IEnumerable<Case> BadIdempotencyKeys =>
        from bad in BadIdempotencyKeyValues
        let why = (string)bad[0]
        let key = (string)bad[1]
        from method in new[] { HttpMethod.Put, HttpMethod.Delete }
        select Retry($"{method} with an Idempotency-Key of {why}", method, key);

    /// <summary>
    /// Entries, as a replicate message's JSON, that a follower's serializer must refuse before its
    /// store sees them: each is dropped with a <c>SerializationException</c>.
    /// </summary>
    public static TheoryData<string, string> MalformedEntries => new()
    {
        { "negative seq", "{\"epoch\": 1, \"seq\": -1, \"op\": \"put\", \"key\": \"k\", \"value\": 1}" },
        { "huge seq", "{\"epoch\": 1, \"seq\": 99999999999999999999, \"op\": \"put\", \"key\": \"k\", \"value\": 1}" },
        { "fractional seq", "{\"epoch\": 1, \"seq\": 1.5, \"op\": \"put\", \"key\": \"k\", \"value\": 1}" },
        { "zero epoch", "{\"epoch\": 0, \"seq\": 1, \"op\": \"put\", \"key\": \"k\", \"value\": 1}" },
        { "unknown op", "{\"epoch\": 1, \"seq\": 1, \"op\": \"merge\", \"key\": \"k\", \"value\": 1}" },
        { "put without value", "{\"epoch\": 1, \"seq\": 1, \"op\": \"put\", \"key\": \"k\"}" },
        { "delete with value", "{\"epoch\": 1, \"seq\": 1, \"op\": \"delete\", \"key\": \"k\", \"value\": 1}" },
        { "empty key", "{\"epoch\": 1, \"seq\": 1, \"op\": \"put\", \"key\": \"\", \"value\": 1}" },
        { "key of wrong type", "{\"epoch\": 1, \"seq\": 1, \"op\": \"put\", \"key\": 7, \"value\": 1}" },
        { "bad JSON", "{\"epoch\": 1," },
        { "JSON null", "null" },
        { "key with an unpaired surrogate", "{\"epoch\": 1, \"seq\": 1, \"op\": \"put\", \"key\": \"\\uD800\", \"value\": 1}" },
        { "value with an unpaired surrogate", "{\"epoch\": 1, \"seq\": 1, \"op\": \"put\", \"key\": \"k\", \"value\": \"\\uDC00\"}" },
        { "value nested too deep", "{\"epoch\": 1, \"seq\": 1, \"op\": \"put\", \"key\": \"k\", \"value\": " + new string('[', 62) + new string(']', 62) + "}" },
        { "document nested too deep to parse", "{\"epoch\": 1, \"seq\": 1, \"op\": \"put\", \"key\": \"k\", \"value\": " + new string('[', 200) + new string(']', 200) + "}" },
    };

    /// <summary>Reads with a malformed <c>minSeq</c> or <c>maxWaitMs</c>: a 400 on any node, before any wait.</summary>
    public static IEnumerable<Case> BadReads =>
    [
        Read("negative minSeq", "/kv?minSeq=-1"),
        Read("minSeq not a number", "/kv/k?minSeq=abc"),
        Read("fractional minSeq", "/kv/k?minSeq=1.5"),
        Read("minSeq one past long", "/kv?minSeq=9223372036854775808"),
        Read("huge minSeq", "/kv?minSeq=99999999999999999999"),
        Read("empty minSeq", "/kv?minSeq="),
        Read("minSeq with a sign", "/kv?minSeq=%2B1"),
        Read("minSeq twice", "/kv?minSeq=1&minSeq=2"),
        Read("negative maxWaitMs", "/kv?minSeq=1&maxWaitMs=-1"),
        Read("maxWaitMs past its cap", "/kv/k?minSeq=1&maxWaitMs=10001"),
        Read("maxWaitMs with a unit", "/kv?minSeq=1&maxWaitMs=1s"),
        Read("malformed maxWaitMs without minSeq", "/kv/k?maxWaitMs=x"),
    ];

    /// <summary>Replication reads without the right token: 401 on every node, before anything is read.</summary>
    public static IEnumerable<Case> ForgedReplication =>
    [
        Forge("snapshot without a token", "/replication/snapshot", null),
        Forge("snapshot with a wrong token", "/replication/snapshot", "Bearer not-the-replication-token"),
        Forge("snapshot with the token's prefix", "/replication/snapshot", "Bearer kvstore"),
        Forge("snapshot with a basic scheme", "/replication/snapshot", "Basic a3ZzdG9yZTprdnN0b3Jl"),
        Forge("catch-up without a token", "/replication/entries?epoch=0&after=0", null),
    ];

    private static Case Retry(string name, HttpMethod method, string idempotencyKey) =>
        new(name, method, "/kv/k", method == HttpMethod.Put ? Json : null, method == HttpMethod.Put ? "{\"value\": 1}" : null, HttpStatusCode.BadRequest, IdempotencyKey: idempotencyKey);

    private static Case Read(string name, string path) => new(name, HttpMethod.Get, path, null, null, HttpStatusCode.BadRequest);

    private static Case Forge(string name, string path, string? authorization) =>
        new(name, HttpMethod.Get, path, null, null, HttpStatusCode.Unauthorized, Forged: true, Authorization: authorization);
}
