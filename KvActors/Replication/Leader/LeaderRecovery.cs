using System.Text.Json;
using Akka.Actor;
using KvActors.Replication.CatchUp;
using KvActors.Replication.Wire;
using KvActors.Store;
using Microsoft.Extensions.Logging;

namespace KvActors.Replication.Leader;

/// <summary>
/// What a leader does at start, before it takes a single write: it recovers the cluster's data from
/// its followers, so that a leader restarted empty never wipes them (the trap Redis documents for a
/// master without persistence, which its replicas would faithfully copy).
/// </summary>
/// <remarks>
/// <para>It asks every follower's store for its position (a <see cref="ReplicationMessages.ReadPosition"/>
/// over Akka.Remote: epoch, applied <c>seq</c>, held-back entries, HTTP URL) until at least <see cref="RequiredAnswers"/> have answered, takes
/// the snapshot of the most advanced one (highest epoch, then highest <c>seq</c>), applies after it
/// every further entry of that epoch that some answering follower holds back, as long as they run
/// on without a gap, and starts a new epoch above every epoch it saw; the log continues after the
/// last <c>seq</c> recovered.</para>
/// <para>Why N − W + 1 answers: a write acknowledged to its client reached W followers, so any
/// N − W + 1 of them include at least one of those (the quorum intersection R + W &gt; N of
/// Dynamo-style systems). With <c>ACK_MODE=applied</c> that follower has applied the write and every
/// one before it, so the most advanced answer holds every acknowledged write. With
/// <c>ACK_MODE=received</c> it may only hold it back behind an earlier entry; merging the held-back
/// entries recovers it unless that earlier entry had reached none of the answering followers.</para>
/// </remarks>
public sealed partial class LeaderRecovery
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    // A follower that is down does not refuse a message as a closed port refuses a connection:
    // Akka.Remote drops it, so each round waits this long for the slowest answer.
    private static readonly TimeSpan PositionTimeout = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<FollowerRef> _followers;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the recovery for a leader with these followers.</summary>
    /// <param name="followers">Every follower.</param>
    /// <param name="writeQuorum">W, which decides how many followers must answer.</param>
    /// <param name="http">A client whose default headers carry the replication token, for the snapshot.</param>
    /// <param name="time">The clock for backoff and the new epoch.</param>
    /// <param name="logger">Says what was recovered, from whom, and who is still awaited.</param>
    public LeaderRecovery(IReadOnlyList<FollowerRef> followers, int writeQuorum, HttpClient http, TimeProvider time, ILogger logger)
    {
        _followers = followers;
        _http = http;
        _time = time;
        _logger = logger;
        RequiredAnswers = Math.Clamp(followers.Count - writeQuorum + 1, 1, Math.Max(1, followers.Count));
    }

    /// <summary>How many followers must answer before the leader may start: N − W + 1, at least 1, at most N.</summary>
    public int RequiredAnswers { get; }

    /// <summary>Waits for enough followers, then returns the state to start from, in a new epoch.</summary>
    /// <param name="cancellationToken">Stops waiting (the node is shutting down).</param>
    /// <returns>The most advanced follower's state (or an empty one) with the new epoch.</returns>
    /// <exception cref="OperationCanceledException">Cancelled before enough followers answered.</exception>
    public async Task<StoreSnapshot> RecoverAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var answers = (await Task.WhenAll(_followers.Select(async f => (Node: f, Position: await PositionAsync(f, cancellationToken)))))
                .Where(a => a.Position is not null)
                .Select(a => new Answer(a.Node, a.Position!))
                .ToList();
            if (answers.Count >= RequiredAnswers)
            {
                var (bestNode, best) = answers.MaxBy(a => (a.Position.Epoch, a.Position.AppliedSeq))!;
                var epoch = Math.Max(answers.Max(a => a.Position.Epoch) + 1, _time.GetUtcNow().ToUnixTimeMilliseconds());
                var document = best.AppliedSeq == 0 ? null : await SnapshotAsync(bestNode, best.Url, cancellationToken);
                if (best.AppliedSeq == 0 || (document is not null && (document.Epoch, document.Seq).CompareTo((best.Epoch, best.AppliedSeq)) >= 0))
                {
                    try
                    {
                        var recovered = document?.ToStoreSnapshot(epoch) ?? StoreSnapshot.Empty(epoch);
                        var merged = MergeHeldBack(recovered, document?.Epoch ?? best.Epoch, answers.Select(a => a.Position));
                        if (merged.AppliedSeq == 0)
                        {
                            LogStartedEmpty(_logger, epoch, answers.Count, _followers.Count);
                        }
                        else
                        {
                            LogRecovered(_logger, merged.Items.Count, merged.AppliedSeq, recovered.AppliedSeq, merged.AppliedSeq - recovered.AppliedSeq, best.Epoch, bestNode.Name, answers.Count, _followers.Count, epoch);
                        }

                        return merged;
                    }
                    catch (FormatException ex)
                    {
                        // A follower served something that is not a state: ask again rather than start from it.
                        LogSnapshotFailed(_logger, bestNode.Name, ex.Message);
                    }
                }
            }
            else
            {
                LogWaiting(_logger, answers.Count, _followers.Count, RequiredAnswers);
            }

            await Task.Delay(backoff, _time, cancellationToken);
            backoff = TimeSpan.FromMilliseconds(Math.Min(2000, backoff.TotalMilliseconds * 2));
        }
    }

    private static async Task<PositionDocument?> PositionAsync(FollowerRef follower, CancellationToken cancellationToken)
    {
        try
        {
            // An Ask at the edge of the actor system: recovery runs before this leader takes writes.
            return await follower.Ref.Ask<PositionDocument>(ReplicationMessages.ReadPosition.Instance, PositionTimeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            // Down, unreachable, or not yet listening: Akka.Remote drops what it cannot deliver.
            return null;
        }
    }

    // Entries of the recovered epoch that followers hold back past a gap: one's held-back entry can
    // be another's missing one. Applied while they run on from the recovered seq without a gap;
    // past a gap nothing is applied, since applying out of order could resurrect an overwritten value.
    private static StoreSnapshot MergeHeldBack(StoreSnapshot recovered, long epoch, IEnumerable<PositionDocument> answers)
    {
        var held = new Dictionary<long, LogEntry>();
        foreach (var request in answers.SelectMany(a => a.HeldBack ?? []).Where(r => r.Epoch == epoch && r.Seq > recovered.AppliedSeq))
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

    private async Task<SnapshotDocument?> SnapshotAsync(FollowerRef follower, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.GetJsonAsync<SnapshotDocument>(new Uri(url, "/replication/snapshot"), RequestTimeout * 6, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogSnapshotFailed(_logger, follower.Name, ex.Message);
            return null;
        }
    }

    private sealed record Answer(FollowerRef Node, PositionDocument Position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: {Answered} of {Followers} followers answered, waiting for {Required} (N - W + 1) before taking writes")]
    private static partial void LogWaiting(ILogger logger, int answered, int followers, int required);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: recovered {Items} keys at seq {Seq} (seq {SnapshotSeq} from {Follower}'s snapshot, the most advanced of {Answered}/{Followers} followers, plus {Merged} entries they held back) of epoch {OldEpoch}; continuing the log after seq {Seq} in new epoch {Epoch}")]
    private static partial void LogRecovered(ILogger logger, int items, long seq, long snapshotSeq, long merged, long oldEpoch, string follower, int answered, int followers, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery: no data on the {Answered}/{Followers} followers that answered; starting empty in epoch {Epoch}")]
    private static partial void LogStartedEmpty(ILogger logger, long epoch, int answered, int followers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: the snapshot from {Follower} failed, asking again: {Error}")]
    private static partial void LogSnapshotFailed(ILogger logger, string follower, string error);
}
