namespace KvHost.Tests.TestKit;

/// <summary>URIs whose path and query go out exactly as written: escapes and dot segments are the server's to handle, not HttpClient's.</summary>
public static class RawTarget
{
    /// <summary><paramref name="pathAndQuery"/> (<c>/kv/dir%2Ffile?minSeq=3</c>) on <paramref name="node"/>, never canonicalised.</summary>
    public static Uri On(Uri node, string pathAndQuery) =>
        new(node.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
}
