namespace KvActors.Replication.Leader;

/// <summary>
/// The coordinator's running record of one follower's progress. Mutable, owned by the coordinator
/// actor only; <see cref="ToStatus"/> copies it out.
/// </summary>
internal sealed class FollowerProgress(string node)
{
    /// <summary>How long after its last catch-up fetch a lagging follower still counts as catching up.</summary>
    private static readonly TimeSpan CatchingUpFor = TimeSpan.FromSeconds(5);

    private DateTimeOffset _lastBehindPull = DateTimeOffset.MinValue;

    public string Node { get; } = node;

    public long AckedSeq { get; private set; }

    public long AppliedSeq { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>True from a failed or lost connection (Akka.Remote's association) until the follower answers again.</summary>
    public bool IsUnreachable { get; private set; }

    public void Acknowledged(long seq, long appliedSeq)
    {
        // Acknowledgements race each other over the network, so keep the maximum, not the latest.
        AckedSeq = Math.Max(AckedSeq, seq);
        AppliedSeq = Math.Max(AppliedSeq, appliedSeq);
        LastError = null;
        IsUnreachable = false;
    }

    public void Failed(string error) => LastError = error;

    public void Unreachable(string error)
    {
        LastError = error;
        IsUnreachable = true;
    }

    public void Reachable() => IsUnreachable = false;

    public void Pulled(long appliedSeq, bool behind, DateTimeOffset now)
    {
        // A fetch states the follower's applied seq exactly, even when it went down (a restart).
        AppliedSeq = appliedSeq;
        AckedSeq = Math.Max(AckedSeq, appliedSeq);
        if (behind)
        {
            _lastBehindPull = now;
        }
    }

    /// <summary>The follower's row of <c>/status</c>.</summary>
    /// <param name="lastSeq">The leader's last <c>seq</c>.</param>
    /// <param name="now">The time of the status.</param>
    /// <param name="appendedAt">When the leader appended a given <c>seq</c>, if it still knows.</param>
    public FollowerStatus ToStatus(long lastSeq, DateTimeOffset now, Func<long, DateTimeOffset?> appendedAt)
    {
        var lag = Math.Max(0, lastSeq - AppliedSeq);

        // Like pg_stat_replication's replay_lag: how long ago the oldest change it has not applied was made.
        var lagMs = lag == 0 ? 0 : appendedAt(AppliedSeq + 1) is { } oldest ? Math.Max(0, (long)(now - oldest).TotalMilliseconds) : 0;
        var state = IsUnreachable ? FollowerState.Unreachable
            : lag > 0 && now - _lastBehindPull < CatchingUpFor ? FollowerState.CatchingUp
            : FollowerState.Streaming;
        return new FollowerStatus(Node, state, AckedSeq, AppliedSeq, lag, lagMs, LastError);
    }
}
