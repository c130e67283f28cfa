namespace KvPerf.Client;

/// <summary>
/// The part of a node's <c>GET /status</c> the experiment reads: on the leader,
/// <see cref="WriteQuorum"/> confirms the cluster really started with the W being measured.
/// </summary>
/// <param name="Node">The node's NODE_ID.</param>
/// <param name="Role"><c>leader</c> or <c>follower</c>.</param>
/// <param name="AppliedSeq">The highest seq applied on the node.</param>
/// <param name="WriteQuorum">Leader only: the follower acknowledgements each write waits for.</param>
public sealed record NodeStatus(string Node, string Role, long AppliedSeq, int? WriteQuorum);
