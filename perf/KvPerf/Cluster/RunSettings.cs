namespace KvPerf.Cluster;

/// <summary>
/// The store settings one run starts its fresh cluster with, passed as the environment variables
/// shared/API.md names (WRITE_QUORUM, ACK_MODE, MIN_DELAY_MS, MAX_DELAY_MS).
/// </summary>
/// <param name="WriteQuorum">WRITE_QUORUM: follower acks each write waits for.</param>
/// <param name="AckMode">ACK_MODE: <c>received</c> or <c>applied</c>.</param>
/// <param name="MinDelayMs">MIN_DELAY_MS: smallest simulated replication delay in ms.</param>
/// <param name="MaxDelayMs">MAX_DELAY_MS: largest simulated replication delay in ms.</param>
public sealed record RunSettings(int WriteQuorum, string AckMode, int MinDelayMs, int MaxDelayMs)
{
    /// <summary>
    /// The settings as environment variables: what the compose file reads, and what the leader gets.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["WRITE_QUORUM"] = WriteQuorum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ACK_MODE"] = AckMode,
        ["MIN_DELAY_MS"] = MinDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MAX_DELAY_MS"] = MaxDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// What a follower gets, as in docker-compose.yml: only ACK_MODE is a follower's setting, and
    /// a follower stops at start if given a WRITE_QUORUM larger than its (empty) FOLLOWERS list.
    /// </summary>
    public IReadOnlyDictionary<string, string> FollowerEnvironment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ACK_MODE"] = AckMode,
    };
}
