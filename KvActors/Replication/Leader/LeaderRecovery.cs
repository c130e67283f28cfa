using System.Text.Json;
using Akka.Actor;
using KvActors.Replication.CatchUp;
using KvActors.Replication.Wire;
using KvActors.Storage;
using KvActors.Store;
using Microsoft.Extensions.Logging;

namespace KvActors.Replication.Leader;

/// <summary>
/// What a leader does at start, before it takes a single write: it recovers the cluster's data from
/// its followers, so that a leader restarted empty never wipes them (the trap Redis documents for a
/// master without persistence, which its replicas would faithfully copy).
/// </summary>
/// <remarks>
/// It asks every follower's store for its position (a <see cref="ReplicationMessages.ReadPosition"/>
/// over Akka.Remote: epoch, applied <c>seq</c>, held-back entries, HTTP URL), round after round with
/// backoff, until at least <see cref="RequiredAnswers"/> have answered; <see cref="RecoveryChoice"/>
/// then says whose snapshot to fetch (over HTTP), what to merge on top of it and in which epoch to
/// continue. A failed or stale snapshot starts the round again.
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
        RequiredAnswers = RecoveryChoice.RequiredAnswers(followers.Count, writeQuorum);
    }

    /// <summary>How many followers must answer before the leader may start: N − W + 1, at least 1, at most N.</summary>
    public int RequiredAnswers { get; }

    /// <summary>Waits for enough followers, then returns the state to start from, in a new epoch.</summary>
    /// <param name="local">
    /// What the leader's own disk held at start, or null for a leader without one. It is a candidate
    /// like any follower's answer; a follower ahead of it (an old or damaged volume) still wins.
    /// </param>
    /// <param name="cancellationToken">Stops waiting (the node is shutting down).</param>
    /// <returns>
    /// What to tell the store: the most advanced state (the leader's own, a follower's, or an empty
    /// one) in the new epoch, with the leader's own history when it is exactly its own.
    /// </returns>
    /// <exception cref="OperationCanceledException">Cancelled before enough followers answered.</exception>
    public async Task<StoreMessages.BecomeLeader> RecoverAsync(StoredNode? local, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var answers = (await Task.WhenAll(_followers.Select(async f => (Node: f, Position: await PositionAsync(f, cancellationToken)))))
                .Where(a => a.Position is not null)
                .Select(a => new Answer(a.Node, a.Position!))
                .ToList();
            var choice = RecoveryChoice.Choose([.. answers.Select(a => a.Position)], RequiredAnswers, _time.GetUtcNow(), local?.State.Epoch ?? 0);
            if (choice is not null && local is not null && choice.PrefersLocal(local.State))
            {
                var own = choice.RecoverLocal(local.State);
                LogRecoveredLocally(_logger, own.Items.Count, own.AppliedSeq, local.State.AppliedSeq, local.State.Epoch, answers.Count, _followers.Count, choice.NewEpoch);

                // Entries merged from the followers are not on this disk: then the state is stored whole.
                return own.AppliedSeq == local.State.AppliedSeq
                    ? new StoreMessages.BecomeLeader(own, new StoreMessages.OwnHistory(local.State.Epoch, [.. local.Log.Where(e => e.Seq <= own.AppliedSeq)]))
                    : new StoreMessages.BecomeLeader(own);
            }

            if (choice is not null)
            {
                var source = answers[choice.SourceIndex].Node;
                var document = choice.NeedsSnapshot ? await SnapshotAsync(source, choice.Source.Url, cancellationToken) : null;
                if (choice.Accepts(document))
                {
                    try
                    {
                        var recovered = choice.Recover(document);
                        if (recovered.AppliedSeq == 0)
                        {
                            LogStartedEmpty(_logger, choice.NewEpoch, answers.Count, _followers.Count);
                        }
                        else
                        {
                            var fromSnapshot = document?.Seq ?? 0;
                            LogRecovered(_logger, recovered.Items.Count, recovered.AppliedSeq, fromSnapshot, recovered.AppliedSeq - fromSnapshot, choice.Source.Epoch, source.Name, answers.Count, _followers.Count, choice.NewEpoch);
                        }

                        return new StoreMessages.BecomeLeader(recovered);
                    }
                    catch (FormatException ex)
                    {
                        // A follower served something that is not a state: ask again rather than start from it.
                        LogSnapshotFailed(_logger, source.Name, ex.Message);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery: recovered {Items} keys at seq {Seq} from this leader's own disk (seq {LocalSeq} of epoch {OldEpoch}, plus what the followers held back after it), no follower of the {Answered}/{Followers} that answered being ahead; continuing the log after seq {Seq} in new epoch {Epoch}")]
    private static partial void LogRecoveredLocally(ILogger logger, int items, long seq, long localSeq, long oldEpoch, int answered, int followers, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery: no data on the {Answered}/{Followers} followers that answered; starting empty in epoch {Epoch}")]
    private static partial void LogStartedEmpty(ILogger logger, long epoch, int answered, int followers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: the snapshot from {Follower} failed, asking again: {Error}")]
    private static partial void LogSnapshotFailed(ILogger logger, string follower, string error);
}
