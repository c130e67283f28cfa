using System.Globalization;

namespace KvHost.Tests.Compose;

/// <summary>
/// The settings a compose spec needs the cluster to run with. They reach the six containers as the
/// environment variables <c>scripts/cluster.sh</c> hands to compose, so a spec that asks for other
/// settings gets recreated containers, and one that asks for the running settings gets the cluster as it is.
/// </summary>
/// <param name="WriteQuorum"><c>WRITE_QUORUM</c>: W.</param>
/// <param name="AckMode"><c>ACK_MODE</c>: <c>received</c> or <c>applied</c>.</param>
/// <param name="MinDelayMs"><c>MIN_DELAY_MS</c>.</param>
/// <param name="MaxDelayMs"><c>MAX_DELAY_MS</c>.</param>
/// <param name="ReplicationTimeoutMs"><c>REPLICATION_TIMEOUT_MS</c>: when a write short of W answers 504.</param>
/// <param name="MaxValueBytes"><c>MAX_VALUE_BYTES</c>.</param>
public sealed record ClusterSettings(
    int WriteQuorum,
    string AckMode,
    int MinDelayMs,
    int MaxDelayMs,
    int ReplicationTimeoutMs,
    int MaxValueBytes = 1_048_576)
{
    /// <summary>What the contract specs (<see cref="ComposeClusterSpecs"/>, <see cref="ComposeFaultSpecs"/>) are written against.</summary>
    public static ClusterSettings Standard { get; } = new(
        ComposeClusterFixture.WriteQuorum,
        "received",
        0,
        ComposeClusterFixture.MaxDelayMs,
        ComposeClusterFixture.ReplicationTimeoutMs,
        ComposeClusterFixture.MaxValueBytes);

    /// <summary>The variables the compose file reads (computed, so it stays out of the record's equality).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["WRITE_QUORUM"] = WriteQuorum.ToString(CultureInfo.InvariantCulture),
        ["ACK_MODE"] = AckMode,
        ["MIN_DELAY_MS"] = MinDelayMs.ToString(CultureInfo.InvariantCulture),
        ["MAX_DELAY_MS"] = MaxDelayMs.ToString(CultureInfo.InvariantCulture),
        ["REPLICATION_TIMEOUT_MS"] = ReplicationTimeoutMs.ToString(CultureInfo.InvariantCulture),
        ["MAX_VALUE_BYTES"] = MaxValueBytes.ToString(CultureInfo.InvariantCulture),
    };

    public override string ToString() =>
        $"W={WriteQuorum}, ACK_MODE={AckMode}, delays {MinDelayMs}-{MaxDelayMs} ms, timeout {ReplicationTimeoutMs} ms";
}
