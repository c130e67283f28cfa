namespace KvPerf.Results;

/// <summary>
/// All runs of one ack mode, one per write quorum, in the order swept.
/// </summary>
/// <param name="AckMode"><c>received</c> (a follower acks on holding the entry) or <c>applied</c> (on having applied it and all before it).</param>
/// <param name="Runs">One per W.</param>
public sealed record SweepResult(string AckMode, IReadOnlyList<RunResult> Runs);
