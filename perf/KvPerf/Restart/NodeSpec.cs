namespace KvPerf.Restart;

/// <summary>One node of <see cref="RestartTopology"/>.</summary>
/// <param name="NodeId">NODE_ID: <c>leader</c>, or a follower's actor system as host:port.</param>
/// <param name="Role">ROLE: <c>leader</c> or <c>follower</c>.</param>
/// <param name="Port">PORT: its HTTP port on loopback.</param>
/// <param name="DataDirectory">DATA_DIR: its own directory, named <c>leader</c> or <c>followerN</c>.</param>
public sealed record NodeSpec(string NodeId, string Role, int Port, string DataDirectory)
{
    /// <summary>Where it answers HTTP, e.g. http://127.0.0.1:9300.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{Port}");

    /// <summary>Its name in tables and log files: its data directory's name.</summary>
    public string Name => Path.GetFileName(DataDirectory);
}
