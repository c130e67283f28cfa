namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// When each phase of a scenario happened, in ms on the scenario's clock. "Start" is just before
/// the host command ran, "in place" / "healed" just after it returned.
/// </summary>
/// <param name="FaultStartMs">Injection began: from here on a write may be hit by the fault.</param>
/// <param name="FaultInPlaceMs">Injection returned: the container is stopped, dead, frozen or cut off.</param>
/// <param name="HealStartMs">Healing began: from here on the faulted node may answer again.</param>
/// <param name="HealedMs">Healing returned (a started container may still be booting).</param>
/// <param name="CaughtUpMs">
/// A faulted follower: when it first reported the leader's epoch and at least the seq the leader had
/// when healing began. The leader: when the first write started after healing was acknowledged.
/// Null if that never happened within the bound.
/// </param>
/// <param name="LoadStopMs">The load started its last write.</param>
public sealed record FaultTimeline(
    double FaultStartMs,
    double FaultInPlaceMs,
    double HealStartMs,
    double HealedMs,
    double? CaughtUpMs,
    double LoadStopMs)
{
    /// <summary>
    /// A write that starts this long after catch-up must meet the fault-free rules. 1.5 s: the
    /// simulated lag (at most 300 ms), the 100 ms between status reads (catch-up is seen up to one
    /// read late), Akka.Remote's 500 ms gate on a restarted follower's address and its reconnect,
    /// and slack for a loaded 2-core machine. Entries dropped while the address was gated go out
    /// again as soon as the leader is associated with the follower again, not at the trackers' next
    /// backoff step, which had left writes up to 2.6 s after catch-up without their quorum.
    /// </summary>
    public const double SettleMs = 1500;

    /// <summary>From here on, every write must be answered as if nothing had happened.</summary>
    public double RecoveredFromMs => CaughtUpMs is { } caughtUp ? caughtUp + SettleMs : double.PositiveInfinity;

    public double FaultSeconds => (HealStartMs - FaultInPlaceMs) / 1000;

    /// <summary>True for a write whose interval overlaps the time the cluster was degraded.</summary>
    public bool Overlaps(WriteRecord write) => write.EndMs >= FaultStartMs && write.StartMs < RecoveredFromMs;
}
