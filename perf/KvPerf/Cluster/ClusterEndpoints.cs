namespace KvPerf.Cluster;

/// <summary>
/// Where a started cluster answers on this machine: the leader and its followers' base URLs.
/// </summary>
/// <param name="Leader">The leader, e.g. http://127.0.0.1:8000.</param>
/// <param name="Followers">The followers, in NODE_ID order.</param>
public sealed record ClusterEndpoints(Uri Leader, IReadOnlyList<Uri> Followers)
{
    /// <summary>
    /// Six nodes on consecutive loopback ports: the leader on <paramref name="leaderPort"/>,
    /// follower N on leaderPort + N (the compose layout publishes 8000..8005 this way).
    /// </summary>
    public static ClusterEndpoints OnLoopback(int leaderPort, int followers) => new(
        Loopback(leaderPort),
        Enumerable.Range(1, followers).Select(n => Loopback(leaderPort + n)).ToArray());

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}");
}
