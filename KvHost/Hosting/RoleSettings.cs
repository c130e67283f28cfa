namespace KvHost.Hosting;

/// <summary>
/// What a node's role adds to <see cref="NodeSettings"/>: a <see cref="LeaderSettings"/> or a
/// <see cref="FollowerSettings"/>, and nothing else. A setting that means something for one role only
/// lives on that role's type, so code can read it only where it has matched that role, and a
/// follower-only value can never be read, as a zero or a null, on a leader.
/// </summary>
public abstract record RoleSettings
{
    // Only the two roles of this assembly: single-leader replication has no third.
    private protected RoleSettings()
    {
    }

    /// <summary>The role as answers name it (<c>"role"</c> in <c>/kv</c>, <c>/health</c>, <c>/status</c>): <c>leader</c> or <c>follower</c>.</summary>
    public abstract string Name { get; }
}
