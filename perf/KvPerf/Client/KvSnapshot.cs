namespace KvPerf.Client;

/// <summary>
/// A node's answer to <c>GET /kv</c>: a consistent snapshot of its whole store at
/// <see cref="AppliedSeq"/> (shared/API.md), which is what lets the experiment compare replicas
/// key by key without reading a half-applied state.
/// </summary>
/// <param name="Node">The node's NODE_ID.</param>
/// <param name="Role"><c>leader</c> or <c>follower</c>.</param>
/// <param name="AppliedSeq">The highest seq applied; every seq below it is applied too.</param>
/// <param name="Items">Key to value and seq.</param>
public sealed record KvSnapshot(
    string Node,
    string Role,
    long AppliedSeq,
    IReadOnlyDictionary<string, KvItem> Items);
