using System.Text.Json;

namespace KvHost.Api;

/// <summary>
/// The 200 answer to <c>GET /kv</c>: every key of this node at one <c>seq</c>, so two nodes'
/// answers with the same <see cref="AppliedSeq"/> must be equal item for item.
/// </summary>
/// <param name="Node">This node's name.</param>
/// <param name="Role"><c>leader</c> or <c>follower</c>.</param>
/// <param name="AppliedSeq">The snapshot's <c>seq</c>.</param>
/// <param name="Items">Key to <c>{"value", "seq"}</c>, in ordinal key order.</param>
public sealed record SnapshotResponse(string Node, string Role, long AppliedSeq, IReadOnlyDictionary<string, SnapshotItem> Items);

/// <summary>One key's entry in a <see cref="SnapshotResponse"/>.</summary>
/// <param name="Value">The value.</param>
/// <param name="Seq">The sequence number of the write that set it.</param>
public sealed record SnapshotItem(JsonElement Value, long Seq);
