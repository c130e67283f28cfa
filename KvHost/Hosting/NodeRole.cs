namespace KvHost.Hosting;

/// <summary>A node's part in single-leader replication (DDIA ch. 5): only the leader takes writes.</summary>
public enum NodeRole
{
    /// <summary>Takes client writes, numbers them and replicates them to every follower.</summary>
    Leader,

    /// <summary>Applies the leader's entries in <c>seq</c> order and serves reads.</summary>
    Follower,
}
