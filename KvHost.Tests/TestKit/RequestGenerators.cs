using FsCheck;
using FsCheck.Fluent;

namespace KvHost.Tests.TestKit;

/// <summary>
/// Generators of whole HTTP requests for one node, well-formed and malformed mixed so that a good share
/// of a leader's requests are valid writes, and a shrinker that simplifies one part at a time.
/// </summary>
/// <remarks>
/// Every path comes with where Kestrel sends it (<see cref="Target"/>): decoding and dot-segment
/// removal are Kestrel's, observed once and written down here, so the model states what the server
/// must do instead of re-deriving it from the server.
/// </remarks>
public sealed class RequestGenerators(int maxValueBytes, string token)
{
    private static readonly IFormatProvider Inv = System.Globalization.CultureInfo.InvariantCulture;

    private static readonly string[] PlainKeys = ["k0", "k1", "k2", "k3", "k4", "k5"];

    private static readonly Target[] OddValidKeys =
    [
        Key("/kv/a%2Fb", "a/b"),               // decoded once from the raw path: Kestrel's route value keeps %2F
        Key("/kv/a%252Fb", "a%2Fb"),           // once, not twice: routing sees a%2Fb here too
        Key("/kv/100%25", "100%"),
        Key("/kv/a%20b", "a b"),
        Key("/kv/a+b", "a+b"),
        Key("/kv/%6B2", "k2"),
        Key("/kv/%F0%9F%98%80", "😀"),
        Key("/kv/%C3%A9t%C3%A9", "été"),
        Key("/kv/%E2%80%AE", "\u202E"),        // a format character, not a control character
        Key("/kv/" + new string('k', 256), new string('k', 256)),
        Key("/kv/" + string.Concat(Enumerable.Repeat("%C3%A9", 128)), new string('é', 128)),
        Key("/kv/./k1", "k1"),
        Key("/kv/../kv/k2", "k2"),
        Key("/kv/k1/.", "k1"),
        Key("/kv/k3/", "k3"),
        Key("/KV/k4", "k4"),
        Key("/kv/k5?value=2&x", "k5"),
        Key("/replication/%2E%2E/kv/k0", "k0"), // dot segments are removed after decoding
    ];

    private static readonly Target[] InvalidKeys =
    [
        Key("/kv/", string.Empty),
        Key("/kv/.", string.Empty),
        Key("/kv/%2E", string.Empty),
        Key("/kv/%FF", null),                  // not UTF-8 once decoded (Kestrel leaves the escape as it is)
        Key("/kv/%C3%28", null),               // a lead byte without its continuation, then '('
        Key("/kv/%ED%A0%80", null),            // a UTF-8-encoded surrogate
        Key("/kv/100%zz", null),               // a '%' that starts no escape
        Key("/kv/%0A", "\n"),
        Key("/kv/k%09x", "k\tx"),
        Key("/kv/%1B", "\u001B"),
        Key("/kv/%7F", "\u007F"),
        Key("/kv/%C2%85", "\u0085"),
        Key("/kv/" + new string('k', 257), new string('k', 257)),
        Key("/kv/" + string.Concat(Enumerable.Repeat("%C3%A9", 129)), new string('é', 129)),
        Key("/kv/" + new string('x', 4000), new string('x', 4000)),
        new("/kv", TargetKind.KvAll),
        new("/kv/..", TargetKind.NoRoute),
        new("/kv/%2E%2E", TargetKind.NoRoute),
        new("/kv//k0", TargetKind.NoRoute),
        new("/kv/k0/extra", TargetKind.NoRoute),
        new("/kv/%00", TargetKind.RejectedByKestrel),
        new("/kv/k%00", TargetKind.RejectedByKestrel),
        new("/kv/" + new string('x', 9000), TargetKind.RejectedByKestrel),
    ];

    private static readonly Target[] OtherTargets =
    [
        new("/kv", TargetKind.KvAll),
        new("/health", TargetKind.Health),
        new("/status", TargetKind.Status),
        new("/status/", TargetKind.Status),
        new("/replication/snapshot", TargetKind.ReplicationSnapshot),
        new("/kv/../replication/snapshot", TargetKind.ReplicationSnapshot),
        new("/replication/entries", TargetKind.ReplicationEntries),
        new("/", TargetKind.NoRoute),
        new("/nope", TargetKind.NoRoute),
        new("/kvx/k0", TargetKind.NoRoute),
        new("/replication", TargetKind.NoRoute),
        new("/replication/entries/1", TargetKind.NoRoute),
        new("/%FF", TargetKind.NoRoute),
    ];

    // The content types HttpRequest.HasJsonContentType accepts: application/json and application/*+json, any parameters.
    private static readonly (string? Value, bool Json)[] ContentTypes =
    [
        (GeneratedRequest.Json, true), ("application/json; charset=utf-8", true), ("APPLICATION/JSON", true), ("application/json; charset=latin1", true),
        ("application/merge-patch+json", true), ("text/plain", false), (null, false), ("multipart/form-data; boundary=xyz", false),
        ("application/x-www-form-urlencoded", false), ("text/json", false), ("application/jsonx", false), (string.Empty, false), (";;;", false), ("application/xml", false),
    ];

    private static readonly string[] Methods = ["GET", "PUT", "DELETE", "POST", "PATCH", "HEAD", "OPTIONS", "TRACE", "FUZZ"];

    private readonly JsonBodies _bodies = new(maxValueBytes);

    public static bool IsJson(string? contentType) => ContentTypes.Single(c => c.Value == contentType).Json;

    public bool IsRightToken(string? authorization) => RightAuthorizations.Contains(authorization);

    /// <summary>Requests for the leader: writes (mostly valid), deletes, reads, replication, and anything at all.</summary>
    public Gen<GeneratedRequest> ForLeader(long epoch) => Gen.Frequency(
        (40, Request(Gen.Constant("PUT"), KvKeys, ValidContentTypesMostly, _bodies.PutBodies.Select(b => (Body?)b))),
        (12, Request(Gen.Constant("DELETE"), KvKeys, AnyContentType, Gen.Frequency((5, Gen.Constant<Body?>(null)), (1, _bodies.AnyBodies.Select(b => (Body?)b))))),
        (12, Request(Gen.Constant("GET"), Gen.OneOf(KvKeys, Gen.Elements(OtherTargets), CatchUp(epoch, 0)), AnyContentType, Gen.Constant<Body?>(null))),
        (18, Replication(epoch, _bodies.EntryBodies(from e in Gen.Choose(1, 5) from s in Gen.Choose(1, 5) select ((long)e, (long)s)), allowRightToken: true)),
        (18, Anything(epoch)));

    /// <summary>
    /// Requests for a follower at <paramref name="epoch"/> and <paramref name="appliedSeq"/>. Entries that
    /// carry the right token are stale or duplicates when well-formed, so that no request should change
    /// the follower: a follower trusts a well-formed entry with the token, and any other would fork it
    /// from its leader, which no generated request may do without being the leader.
    /// </summary>
    public Gen<GeneratedRequest> ForFollower(long epoch, long appliedSeq)
    {
        var harmless = Gen.OneOf(
            from e in Gen.Choose(1, 1000) from s in Gen.Choose(1, 1000) select ((long)e, (long)s),
            Gen.Choose(1, (int)Math.Max(1, appliedSeq)).Select(s => (epoch, (long)s)));
        var anything = Gen.OneOf(
            harmless,
            Gen.Elements((epoch, appliedSeq + 1), (epoch, appliedSeq + 5), (epoch + 1, 1L), (long.MaxValue, 1L), (epoch, long.MaxValue)));
        return Gen.Frequency(
            (45, Replication(epoch, _bodies.EntryBodies(harmless), allowRightToken: true)),
            (20, Replication(epoch, _bodies.EntryBodies(anything), allowRightToken: false)),
            (15, Request(Gen.Elements("PUT", "DELETE", "GET"), KvKeys, ValidContentTypesMostly, _bodies.PutBodies.Select(b => (Body?)b))),
            (20, Anything(epoch)));
    }

    /// <summary>Simpler requests, one part at a time; each part can only become plainer (never the right token, never a new valid entry).</summary>
    public static IEnumerable<GeneratedRequest> Shrink(GeneratedRequest request)
    {
        if (request.Body is not null)
        {
            yield return request with { Body = null };
        }

        if (request.Authorization is not null)
        {
            yield return request with { Authorization = null };
        }

        if (request.Chunked)
        {
            yield return request with { Chunked = false };
        }

        if (request.ContentType != GeneratedRequest.Json)
        {
            yield return request with { ContentType = GeneratedRequest.Json };
        }

        if (request.Method != "GET")
        {
            yield return request with { Method = "GET" };
        }

        if (request.Target.Path != "/kv/k0")
        {
            yield return request with { Target = Key("/kv/k0", "k0") };
        }
    }

    private string[] RightAuthorizations => [$"Bearer {token}", $"bearer {token}", $"BEARER {token}"];

    private string?[] ForgedAuthorizations =>
        [null, "Bearer not-the-token", $"Bearer {token[..10]}", $"Bearer {token}x", $"Basic {token}", token, "Bearer", string.Empty, $"Bearer {token.ToUpperInvariant()}"];

    private Gen<string?> Authorizations(bool allowRightToken) => allowRightToken
        ? Gen.Frequency((3, Gen.Elements(RightAuthorizations).Select(a => (string?)a)), (2, Gen.Elements(ForgedAuthorizations)))
        : Gen.Elements(ForgedAuthorizations);

    private static Gen<Target> KvKeys => Gen.Frequency(
        (14, Gen.Elements(PlainKeys).Select(k => Key("/kv/" + k, k))),
        (4, Gen.Elements(OddValidKeys)),
        (3, Gen.Elements(InvalidKeys)));

    private static Gen<string?> ValidContentTypesMostly => Gen.Frequency(
        (12, Gen.Constant<string?>(GeneratedRequest.Json)),
        (3, Gen.Elements(ContentTypes).Select(c => c.Value)));

    private static Gen<string?> AnyContentType => Gen.Elements(ContentTypes).Select(c => c.Value);

    private static Gen<Target> CatchUp(long epoch, long after) =>
        from e in Gen.Elements(epoch.ToString(Inv), "0", "1", "-1", "abc", string.Empty, "99999999999999999999", long.MaxValue.ToString(Inv), "1.5", "%FF", "+1")
        from a in Gen.Elements(after.ToString(Inv), "0", "3", "-1", "x", "18446744073709551616", long.MaxValue.ToString(Inv))
        from limit in Gen.Elements(string.Empty, "&limit=1", "&limit=10000", "&limit=10001", "&limit=0", "&limit=-1", "&limit=x", "&limit=1&limit=2")
        from node in Gen.Elements(string.Empty, "&node=fuzz", "&node=", "&node=" + new string('n', 300), "&node=%00")
        from shape in Gen.Elements(0, 1, 2, 3)
        select new Target(shape switch
        {
            0 => $"/replication/entries?epoch={e}&after={a}{limit}{node}",
            1 => $"/replication/entries?after={a}{limit}",
            2 => $"/replication/entries?epoch={e}&epoch={e}&after={a}",
            _ => $"/replication/entries?EPOCH={e}&After={a}{node}",
        }, TargetKind.ReplicationEntries);

    private Gen<GeneratedRequest> Replication(long epoch, Gen<Body> entries, bool allowRightToken) => Gen.Frequency(
        (6, Request(Gen.Constant("POST"), Gen.Constant(new Target("/replication/entries", TargetKind.ReplicationEntries)), ValidContentTypesMostly, entries.Select(b => (Body?)b), Authorizations(allowRightToken))),
        (2, Request(Gen.Constant("GET"), CatchUp(epoch, 0), AnyContentType, Gen.Constant<Body?>(null), Authorizations(allowRightToken))),
        (1, Request(Gen.Elements("GET", "POST"), Gen.Constant(new Target("/replication/snapshot", TargetKind.ReplicationSnapshot)), AnyContentType, Gen.Constant<Body?>(null), Authorizations(allowRightToken))));

    private Gen<GeneratedRequest> Anything(long epoch) => Request(
        Gen.Elements(Methods),
        Gen.OneOf(KvKeys, Gen.Elements(OtherTargets), CatchUp(epoch, 0)),
        AnyContentType,
        Gen.Frequency((1, Gen.Constant<Body?>(null)), (2, _bodies.AnyBodies.Select(b => (Body?)b))),
        Gen.Elements(ForgedAuthorizations));

    private Gen<GeneratedRequest> Request(Gen<string> methods, Gen<Target> targets, Gen<string?> contentTypes, Gen<Body?> bodies, Gen<string?>? authorizations = null) =>
        from method in methods
        from target in targets
        from contentType in contentTypes
        from body in bodies
        from authorization in authorizations ?? Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Gen.Elements(RightAuthorizations).Select(a => (string?)a)))
        from chunked in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        let bodyAllowed = method is not ("HEAD" or "TRACE")
        select new GeneratedRequest(method, target, contentType, bodyAllowed ? body : null, authorization, chunked);

    // A null key: the segment does not decode to UTF-8, so there is no key at all.
    private static Target Key(string path, string? key) => new(path, TargetKind.KvKey, key);
}
