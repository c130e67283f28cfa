using System.Globalization;

namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// "A write is answered 200 only when W followers acknowledged it, and 504 within
/// REPLICATION_TIMEOUT_MS plus a margin exactly when fewer than W could": each write of the load
/// checked against what the fault allowed at the time it was in flight. Returns one line per broken
/// rule, naming the write (key, seq, when, answer).
/// </summary>
internal static class QuorumAnswerChecks
{
    /// <summary>
    /// How late a 504 may come after REPLICATION_TIMEOUT_MS: the client's clock also counts two
    /// hops through Docker's port publishing, the leader's queueing behind a few hundred writes and
    /// a 2-core machine shared with six nodes. 3 s, as in <see cref="ComposeFaultSpecs"/>.
    /// </summary>
    public const double LateMarginMs = 3000;

    /// <summary>
    /// A write that starts this long after injection returned is surely hit by it: it leaves room
    /// for a write already queued on the leader when the command returned.
    /// </summary>
    public const double SurelyHitAfterMs = 500;

    public static IReadOnlyList<string> Check(
        IReadOnlyList<WriteRecord> writes, FaultKind fault, ClusterSettings settings, FaultTimeline timeline)
    {
        var w = settings.WriteQuorum;
        var broken = new List<string>();
        foreach (var write in writes)
        {
            var degraded = timeline.Overlaps(write);
            switch (write.Outcome)
            {
                case WriteOutcome.Unexpected:
                    broken.Add($"answered neither 200, 504 nor 503: {write}");
                    break;
                case WriteOutcome.Acknowledged when write.Acks is not { } acks || acks < w || write.WriteQuorum != w:
                    broken.Add($"200 without W={w} acknowledgements: {write}");
                    break;
                case WriteOutcome.NotAcknowledged:
                    if (write.Acks is not { } shortBy || shortBy >= w || write.WriteQuorum != w)
                    {
                        broken.Add($"504 that does not carry acks < W={w}: {write}");
                    }

                    if (write.DurationMs > settings.ReplicationTimeoutMs + LateMarginMs)
                    {
                        broken.Add($"504 after {write.DurationMs.ToString("F0", CultureInfo.InvariantCulture)} ms, later than REPLICATION_TIMEOUT_MS {settings.ReplicationTimeoutMs} + {LateMarginMs} ms: {write}");
                    }

                    // One follower out leaves four, so only W = 5 can fall short, and only while it is out;
                    // a leader kill leaves all five followers up.
                    if (!degraded)
                    {
                        broken.Add($"504 although the cluster was whole (W={w}): {write}");
                    }
                    else if (fault == FaultKind.AllKilled)
                    {
                        // The followers come back one by one; a leader that recovered from N - W + 1 may take writes before the rest.
                    }
                    else if (fault == FaultKind.LeaderKilled || w < 5)
                    {
                        broken.Add($"504 although {(fault == FaultKind.LeaderKilled ? 5 : 4)} followers could acknowledge (W={w}): {write}");
                    }

                    break;
                case WriteOutcome.Unavailable when !degraded || fault is not (FaultKind.LeaderKilled or FaultKind.AllKilled):
                    broken.Add($"no answer although the leader was up: {write}");
                    break;
            }

            // At W = 5 with a follower out, a write wholly inside the fault cannot gather five acks.
            if (fault is not (FaultKind.LeaderKilled or FaultKind.AllKilled) && w == 5
                && write.StartMs >= timeline.FaultInPlaceMs + SurelyHitAfterMs && write.EndMs <= timeline.HealStartMs
                && write.Outcome != WriteOutcome.NotAcknowledged)
            {
                broken.Add($"W=5 with follower{FaultInjection.TargetFollower} out, expected 504: {write}");
            }
        }

        return broken;
    }
}
