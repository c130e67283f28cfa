using KvActors.Replication.CatchUp;
using KvActors.Replication.Wire;
using KvActors.Store;

namespace KvActors.Replication.Leader;

/// <summary>
/// Recovery's rule, without I/O: from the positions of enough followers, which state a restarted
/// leader starts from and in which epoch. <see cref="LeaderRecovery"/> gathers the positions and
/// fetches the snapshot; specs and properties drive this directly.
/// </summary>
/// <remarks>
/// <para>The source is the most advanced answer: highest epoch, then highest applied <c>seq</c> (the
/// first answer on a tie). Epoch before <c>seq</c>, because a follower left behind in an older epoch
/// may have applied more entries of a history the cluster has since abandoned.</para>
/// <para>On top of the source's snapshot go the entries of that snapshot's epoch that any answering
/// follower holds back, while they run on without a gap: one follower's held-back entry can be the
/// entry another is missing. Past a gap nothing is applied, since applying out of <c>seq</c> order
/// could resurrect a value a missing entry overwrote.</para>
/// <para>Why <see cref="RequiredAnswers"/> is N − W + 1: a write acknowledged to its client reached W
/// followers, so any N − W + 1 of them include one of those, the quorum intersection R + W &gt; N of
/// Dynamo-style leaderless replication (DDIA ch. 5, "Quorums for reading and writing"). With
/// <c>ACK_MODE=applied</c> that follower applied the write and every one before it, so the source
/// holds it. With <c>ACK_MODE=received</c> it may only hold it back, and the merge recovers it unless
/// an entry before it had reached none of the answering followers.</para>
/// <para>The new epoch is above every epoch answered, so that followers refuse the previous leader's
/// entries from now on, and at least the clock's Unix milliseconds, so that a leader restarted
/// over followers that all came back empty still takes an epoch its predecessor never had.</para>
/// </remarks>
internal sealed class RecoveryChoice
{
    private readonly IReadOnlyList<PositionDocument> _answers;

    private RecoveryChoice(IReadOnlyList<PositionDocument> answers, int sourceIndex, long newEpoch)
    {
        _answers = answers;
        SourceIndex = sourceIndex;
        NewEpoch = newEpoch;
    }

    /// <summary>The position of the most advanced answer, whose snapshot the leader starts from.</summary>
    public PositionDocument Source => _answers[SourceIndex];

    /// <summary>Where <see cref="Source"/> is among the answers given to <see cref="Choose"/>.</summary>
    public int SourceIndex { get; }

    /// <summary>The epoch the recovered leader writes in.</summary>
    public long NewEpoch { get; }

    /// <summary>Whether the source's snapshot must be fetched: not when it has applied nothing.</summary>
    public bool NeedsSnapshot => Source.AppliedSeq > 0;

    /// <summary>How many followers must answer before the leader may start: N − W + 1, at least 1, at most N.</summary>
    /// <param name="followers">N.</param>
    /// <param name="writeQuorum">W (0 asks every follower).</param>
    /// <returns>The number of answers <see cref="Choose"/> needs.</returns>
    public static int RequiredAnswers(int followers, int writeQuorum) =>
        Math.Clamp(followers - writeQuorum + 1, 1, Math.Max(1, followers));

    /// <summary>Chooses the source and the new epoch, once enough followers have answered.</summary>
    /// <param name="answers">The positions of the followers that answered, in the configured order.</param>
    /// <param name="requiredAnswers">From <see cref="RequiredAnswers"/>.</param>
    /// <param name="now">The clock, the new epoch's lower bound.</param>
    /// <param name="localEpoch">The epoch the leader's own disk holds (0 without one): the new epoch is above it too.</param>
    /// <returns>The choice, or null when fewer than <paramref name="requiredAnswers"/> answered.</returns>
    public static RecoveryChoice? Choose(IReadOnlyList<PositionDocument> answers, int requiredAnswers, DateTimeOffset now, long localEpoch = 0)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Count < Math.Max(1, requiredAnswers))
        {
            return null;
        }

        var source = 0;
        for (var i = 1; i < answers.Count; i++)
        {
            // Strictly greater: on a tie the first answer stays the source.
            if ((answers[i].Epoch, answers[i].AppliedSeq).CompareTo((answers[source].Epoch, answers[source].AppliedSeq)) > 0)
            {
                source = i;
            }
        }

        var newEpoch = Math.Max(Math.Max(answers.Max(a => a.Epoch), localEpoch) + 1, now.ToUnixTimeMilliseconds());
        return new RecoveryChoice(answers, source, newEpoch);
    }

    /// <summary>
    /// Whether <paramref name="snapshot"/> may stand for the source: at least as advanced as the
    /// position it answered (it may have applied more since, never less).
    /// </summary>
    /// <param name="snapshot">The snapshot fetched from the source, or null if the fetch failed.</param>
    /// <returns>True when recovery may start from it; false means ask every follower again.</returns>
    public bool Accepts(SnapshotDocument? snapshot) =>
        !NeedsSnapshot || (snapshot is not null && (snapshot.Epoch, snapshot.Seq).CompareTo((Source.Epoch, Source.AppliedSeq)) >= 0);

    /// <summary>The state the leader starts from: the source's snapshot, then the held-back entries that follow it.</summary>
    /// <param name="snapshot">The source's snapshot, which <see cref="Accepts"/>; null when <see cref="NeedsSnapshot"/> is false.</param>
    /// <returns>The recovered state, in <see cref="NewEpoch"/>.</returns>
    /// <exception cref="FormatException">The snapshot or a held-back entry of its epoch is not well formed (it came from another process).</exception>
    public StoreSnapshot Recover(SnapshotDocument? snapshot)
    {
        var recovered = snapshot?.ToStoreSnapshot(NewEpoch) ?? StoreSnapshot.Empty(NewEpoch);
        return MergeHeldBack(recovered, snapshot?.Epoch ?? Source.Epoch);
    }

    /// <summary>
    /// Whether the leader's own disk is at least as advanced as the most advanced answer (epoch, then
    /// <c>seq</c>), as it is after any restart that kept its volume: a durable leader writes each entry
    /// before any follower may see it. Then no snapshot is fetched.
    /// </summary>
    /// <param name="local">The state the leader's disk held at start.</param>
    /// <returns>True when recovery should start from <paramref name="local"/>.</returns>
    public bool PrefersLocal(StoreSnapshot local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return local.Epoch != 0 && (local.Epoch, local.AppliedSeq).CompareTo((Source.Epoch, Source.AppliedSeq)) >= 0;
    }

    /// <summary>The state the leader starts from when <see cref="PrefersLocal"/>: its own, then the held-back entries that follow it.</summary>
    /// <param name="local">The state the leader's disk held at start.</param>
    /// <returns>The recovered state, in <see cref="NewEpoch"/>.</returns>
    public StoreSnapshot RecoverLocal(StoreSnapshot local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return MergeHeldBack(local with { Epoch = NewEpoch }, local.Epoch);
    }

    // Held-back entries are of the epoch of the state they wait behind, which is the snapshot's: any
    // other epoch's continue a different history. They take the new epoch once applied.
    private StoreSnapshot MergeHeldBack(StoreSnapshot recovered, long epoch)
    {
        var held = new Dictionary<long, LogEntry>();
        foreach (var request in _answers.SelectMany(a => a.HeldBack ?? []).Where(r => r.Epoch == epoch && r.Seq > recovered.AppliedSeq))
        {
            held.TryAdd(request.Seq, request.ToEntry() with { Epoch = recovered.Epoch });
        }

        var merged = recovered;
        while (held.Remove(merged.AppliedSeq + 1, out var next))
        {
            merged = merged.Apply(next);
        }

        return merged;
    }
}
