namespace KvHost.Tests.Compose.Faults;

/// <summary>How a write ended, as the client saw it (Jepsen's ok / fail / info).</summary>
public enum WriteOutcome
{
    /// <summary>200: W followers acknowledged it; it must never be lost.</summary>
    Acknowledged,

    /// <summary>504: fewer than W acknowledged in time; applied on the leader, may or may not survive.</summary>
    NotAcknowledged,

    /// <summary>No answer, a transport error or a 503 (leader down or recovering): indeterminate.</summary>
    Unavailable,

    /// <summary>Any other status: always a failure of the spec.</summary>
    Unexpected,
}

/// <summary>
/// One write of the load: a unique key written once with value <see cref="N"/>, when it started and
/// ended (ms on the scenario's clock) and what came back.
/// </summary>
public sealed record WriteRecord(
    long N,
    string Key,
    double StartMs,
    double EndMs,
    int? Status,
    int? Acks,
    int? WriteQuorum,
    long? Seq,
    string? ProblemType,
    string? Error)
{
    public double DurationMs => EndMs - StartMs;

    public WriteOutcome Outcome => Status switch
    {
        200 => WriteOutcome.Acknowledged,
        504 => WriteOutcome.NotAcknowledged,
        null or 503 => WriteOutcome.Unavailable,
        _ => WriteOutcome.Unexpected,
    };

    /// <summary>For failure messages: enough to find the write in the nodes' logs.</summary>
    public override string ToString() =>
        $"{Key} (seq {Seq?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}) {StartMs / 1000:F2}-{EndMs / 1000:F2} s: "
        + (Status is { } s ? $"{s} acks={Acks?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}/{WriteQuorum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} {ProblemType}" : Error);
}
