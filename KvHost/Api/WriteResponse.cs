namespace KvHost.Api;

/// <summary>The 200 answer to <c>PUT</c> and <c>DELETE /kv/{key}</c>: <c>{"key", "seq", "acks", "writeQuorum"}</c>.</summary>
/// <param name="Key">The key written.</param>
/// <param name="Seq">The write's sequence number in the leader's replication log.</param>
/// <param name="Acks">Follower acknowledgements when the answer was sent (W: it is sent at the W-th).</param>
/// <param name="WriteQuorum">W.</param>
public sealed record WriteResponse(string Key, long Seq, int Acks, int WriteQuorum);
