namespace KvPerf.Results;

/// <summary>
/// One node's start in a restart case: when it answered healthy, its memory once started, and where
/// its time went by its own log. Times in seconds since its process was started.
/// </summary>
/// <param name="Node">Its name: <c>leader</c> or <c>followerN</c>.</param>
/// <param name="Role"><c>leader</c> or <c>follower</c>.</param>
/// <param name="HealthyS">The first 200 on <c>GET /health</c>; a leader answers 503 until it has recovered.</param>
/// <param name="RssMb">Its resident memory (<c>VmRSS</c>, MB) once the cluster took its first write, or when waiting ended.</param>
/// <param name="StorageLoadedMs">What it logged as the time to open, check and read its data file, in ms.</param>
/// <param name="StorageLineS">When it logged that.</param>
/// <param name="RecoveredLineS">Leader: when it logged which state recovery chose.</param>
/// <param name="ReadyLineS">Leader: when it logged that its epoch had started.</param>
/// <param name="Log">Its log file, each line prefixed with the seconds since its start.</param>
public sealed record NodeStartup(
    string Node,
    string Role,
    double? HealthyS,
    double? RssMb,
    long? StorageLoadedMs,
    double? StorageLineS,
    double? RecoveredLineS,
    double? ReadyLineS,
    string Log);
