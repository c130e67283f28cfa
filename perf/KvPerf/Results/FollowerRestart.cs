namespace KvPerf.Results;

/// <summary>
/// One follower killed and started alone on its own file while the rest of the cluster runs. Times in
/// seconds since its new process was started.
/// </summary>
/// <param name="Node">Its name, <c>followerN</c>.</param>
/// <param name="HealthyS">The first 200 on <c>GET /health</c>.</param>
/// <param name="CaughtUpS">Its <c>GET /status</c> first showing the leader's applied seq.</param>
/// <param name="LeaderSeq">The leader's applied seq it had to reach.</param>
/// <param name="WriteAcceptedS">
/// The first <c>PUT</c> to the leader answered with all W acknowledgements, this follower's among
/// them: the leader reaches it again.
/// </param>
/// <param name="RssMb">Its resident memory (<c>VmRSS</c>, MB) once caught up.</param>
/// <param name="StorageLoadedMs">What it logged as the time to open, check and read its data file, in ms.</param>
/// <param name="StorageLineS">When it logged that.</param>
/// <param name="Log">Its log file.</param>
public sealed record FollowerRestart(
    string Node,
    double? HealthyS,
    double? CaughtUpS,
    long LeaderSeq,
    double? WriteAcceptedS,
    double? RssMb,
    long? StorageLoadedMs,
    double? StorageLineS,
    string Log);
