using System.Text.Json;

namespace KvHost.Api;

/// <summary>The 200 answer to <c>GET /kv/{key}</c>: <c>{"key", "value", "seq"}</c>.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">Its value, as the client wrote it.</param>
/// <param name="Seq">The sequence number of the write that set it; equal on every replica that has that write.</param>
public sealed record ItemResponse(string Key, JsonElement Value, long Seq);
