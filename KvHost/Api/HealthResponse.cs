namespace KvHost.Api;

/// <summary>The 200 answer to <c>GET /health</c>: <c>{"status": "ok", "node", "role"}</c>.</summary>
/// <param name="Status">Always <c>ok</c>: a node that answers at all is serving.</param>
/// <param name="Node">This node's name.</param>
/// <param name="Role"><c>leader</c> or <c>follower</c>.</param>
public sealed record HealthResponse(string Status, string Node, string Role);
