namespace KvPerf.Consistency;

/// <summary>
/// What the replicas held after one run's writes: right after the last answer, and after the
/// experiment waited for the followers to drain the log.
/// </summary>
/// <param name="LeaderAppliedSeq">The leader's appliedSeq right after the last answer (the number of writes it took).</param>
/// <param name="AtLastAck">Per follower, read right after the last write was answered: those outside the quorum lag.</param>
/// <param name="Converged">Whether every follower equalled the leader within the bound.</param>
/// <param name="ConvergenceMs">
/// Time from the last answer until a read found every follower equal, in ms (an upper bound, one
/// poll of about 20 ms plus the reads); <see langword="null"/> if it did not converge.
/// </param>
/// <param name="AfterDrain">Per follower, the last comparison made: all equal when converged.</param>
public sealed record ConsistencyResult(
    long LeaderAppliedSeq,
    IReadOnlyList<FollowerConsistency> AtLastAck,
    bool Converged,
    double? ConvergenceMs,
    IReadOnlyList<FollowerConsistency> AfterDrain)
{
    /// <summary>How many followers were not equal to the leader right after the last answer.</summary>
    public int BehindAtLastAck => AtLastAck.Count(f => !f.Equal);
}
