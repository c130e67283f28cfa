namespace KvHost.Hosting;

/// <summary>One entry of <c>FOLLOWERS</c>.</summary>
/// <param name="Node">The follower's name in logs and <c>/status</c>: its URL's host (with the port when hosts repeat, as on loopback).</param>
/// <param name="Url">Its base URL, e.g. <c>http://follower1:8080</c>.</param>
public sealed record FollowerEndpoint(string Node, Uri Url);
