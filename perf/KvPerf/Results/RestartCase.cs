namespace KvPerf.Results;

/// <summary>
/// One data size: six nodes started at once on files of <see cref="Keys"/> keys, then one follower
/// killed and started alone. Every time is in seconds from the start of the process it is about,
/// <see langword="null"/> when not reached within the configured timeout.
/// </summary>
/// <param name="Keys">Keys in every node's file; also the applied seq it holds.</param>
/// <param name="DbFileMb">Size of one node's <c>kvstore.db</c>, in MB (2^20 bytes).</param>
/// <param name="GenerateSeconds">How long writing that file took (not part of any restart).</param>
/// <param name="Nodes">The six starts, leader first.</param>
/// <param name="LeaderReadyS">The leader's <c>GET /status</c> first showing applied seq <see cref="Keys"/>: its own state recovered.</param>
/// <param name="LeaderFirstWriteS">The first <c>PUT</c> answered 200 with all W acknowledgements.</param>
/// <param name="FollowerRestart">The follower started alone afterwards; null when the leader never got ready.</param>
public sealed record RestartCase(
    int Keys,
    double DbFileMb,
    double GenerateSeconds,
    IReadOnlyList<NodeStartup> Nodes,
    double? LeaderReadyS,
    double? LeaderFirstWriteS,
    FollowerRestart? FollowerRestart)
{
    /// <summary>
    /// The slowest follower's start to healthy: the cluster's followers are back when the last is.
    /// Null if any was not healthy in time.
    /// </summary>
    public double? SlowestFollowerHealthyS => Slowest(Nodes.Where(n => n.Role == "follower"));

    /// <summary>The slowest of all six, leader included (whose health waits for its recovery).</summary>
    public double? SlowestHealthyS => Slowest(Nodes);

    private static double? Slowest(IEnumerable<NodeStartup> nodes)
    {
        var times = nodes.Select(n => n.HealthyS).ToArray();
        return times.Length == 0 || times.Any(t => t is null) ? null : times.Max();
    }
}
