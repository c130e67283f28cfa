using System.Text.Json;
using KvPerf.Client;

namespace KvPerf.Consistency;

/// <summary>
/// Compares a follower's <c>GET /kv</c> snapshot with the leader's, key by key. Each item carries
/// the seq of the write that set it, so "behind" is told apart from "different": a follower that
/// applies the log in seq order can only miss keys or hold them at an older seq, never disagree.
/// </summary>
public static class ConsistencyComparer
{
    /// <summary>
    /// Compares <paramref name="follower"/> with <paramref name="leader"/>.
    /// </summary>
    public static FollowerConsistency Compare(KvSnapshot leader, KvSnapshot follower)
    {
        ArgumentNullException.ThrowIfNull(leader);
        ArgumentNullException.ThrowIfNull(follower);

        var missing = 0;
        var older = 0;
        var mismatched = 0;
        foreach (var (key, leaderItem) in leader.Items)
        {
            if (!follower.Items.TryGetValue(key, out var followerItem))
            {
                missing++;
            }
            else if (followerItem.Seq < leaderItem.Seq)
            {
                older++;
            }
            else if (followerItem.Seq > leaderItem.Seq || !JsonElement.DeepEquals(followerItem.Value, leaderItem.Value))
            {
                mismatched++;
            }
        }

        // Keys only the follower holds: the leader never deletes them in this experiment, so they
        // can only come from a replication bug (or a leader that lost state).
        mismatched += follower.Items.Keys.Count(key => !leader.Items.ContainsKey(key));

        var equal = missing == 0 && older == 0 && mismatched == 0 && follower.AppliedSeq == leader.AppliedSeq;
        return new FollowerConsistency(
            Node: follower.Node,
            Equal: equal,
            AppliedSeq: follower.AppliedSeq,
            LagSeq: leader.AppliedSeq - follower.AppliedSeq,
            MissingKeys: missing,
            OlderKeys: older,
            MismatchedKeys: mismatched);
    }
}
