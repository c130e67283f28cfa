namespace KvPerf.Consistency;

/// <summary>
/// How one follower's store compared with the leader's at one moment.
/// </summary>
/// <param name="Node">The follower's name (its NODE_ID, or its address if it could not be read).</param>
/// <param name="Equal">Same appliedSeq and the same keys with the same values and seqs as the leader.</param>
/// <param name="AppliedSeq">The follower's appliedSeq; <see langword="null"/> if it could not be read.</param>
/// <param name="LagSeq">How many log entries the follower is behind the leader (leader appliedSeq minus its own).</param>
/// <param name="MissingKeys">Keys the leader has and the follower does not: their first write has not arrived.</param>
/// <param name="OlderKeys">Keys the follower holds at a lower seq than the leader: a later write has not arrived.</param>
/// <param name="MismatchedKeys">
/// Anything else that differs (a key only the follower has, a newer seq, or the same seq with
/// another value). Replication should never produce these, so a non-zero count is a store bug.
/// </param>
/// <param name="Error">Why the follower could not be read, if it could not.</param>
public sealed record FollowerConsistency(
    string Node,
    bool Equal,
    long? AppliedSeq,
    long? LagSeq,
    int MissingKeys,
    int OlderKeys,
    int MismatchedKeys,
    string? Error = null)
{
    /// <summary>A follower that did not answer <c>GET /kv</c>: not equal, nothing known.</summary>
    public static FollowerConsistency Unreadable(string node, string error) =>
        new(node, false, null, null, 0, 0, 0, error);
}
