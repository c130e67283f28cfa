namespace KvActors.Replication.Leader;

/// <summary>
/// The coordinator's running record of one follower's progress. Mutable, owned by the coordinator
/// actor only; <see cref="ToStatus"/> copies it out.
/// </summary>
internal sealed class FollowerProgress(string node)
{
    public string Node { get; } = node;

    public long AckedSeq { get; private set; }

    public long AppliedSeq { get; private set; }

    public string? LastError { get; private set; }

    public void Acknowledged(long seq, long appliedSeq)
    {
        // Acknowledgements race each other over the network, so keep the maximum, not the latest.
        AckedSeq = Math.Max(AckedSeq, seq);
        AppliedSeq = Math.Max(AppliedSeq, appliedSeq);
        LastError = null;
    }

    public void Failed(string error) => LastError = error;

    public FollowerStatus ToStatus(long lastSeq) =>
        new(Node, AckedSeq, AppliedSeq, Math.Max(0, lastSeq - AppliedSeq), LastError);
}
