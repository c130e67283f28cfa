using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using KvActors.Store;
using Microsoft.Extensions.Logging;

namespace KvActors.Replication.CatchUp;

/// <summary>
/// A follower's catch-up: the pull half of replication. The leader pushes each entry once (with
/// retries); whatever a follower still lacks it fetches itself from the leader, the entries after
/// its applied <c>seq</c> or, when entries cannot do, a snapshot plus the entries after it (Redis's
/// partial and full resync).
/// </summary>
/// <remarks>
/// <para>It fetches at start (a follower restarted empty starts behind), at once when entries of a
/// newer leader epoch arrive (a restarted leader: this state must be replaced before they apply),
/// when a gap before a held-back entry has lasted <c>CATCH_UP_AFTER_MS</c> (an entry lost for good,
/// the leader gave up after its retry window), and every <see cref="IdleSync"/> otherwise (a follower
/// cut off while no writes came knows of nothing it missed).</para>
/// <para>Everything fetched goes through the store's mailbox like a replicated entry, so the store's
/// rules hold unchanged: strictly in <c>seq</c> order, never twice, never backwards within an epoch.
/// This loop is the store's asker at the edge, not an actor: it runs on its own task and owns only
/// its timing state and counters (read by <c>/status</c> via <see cref="Progress"/>).</para>
/// </remarks>
public sealed partial class CatchUpLoop : IAsyncDisposable
{
    /// <summary>How often a follower with nothing to fetch checks with the leader anyway.</summary>
    public static readonly TimeSpan IdleSync = TimeSpan.FromSeconds(5);

    /// <summary>Entries asked for per request (each request is one page of the leader's backlog).</summary>
    public const int PageSize = 1000;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly IActorRef _store;
    private readonly StoreView _view;
    private readonly string _node;
    private readonly Uri _leader;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly TimeSpan _catchUpAfter;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private CatchUpProgress _progress = new(CatchUpState.Starting, null, null, 0, 0, 0);

    // Timing state, touched by the loop task only.
    private DateTimeOffset _lastSync = DateTimeOffset.MinValue;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private TimeSpan _backoff = TimeSpan.Zero;
    private long _gapAt = -1;
    private long _pendingEpochTried;
    private DateTimeOffset _gapSince;

    /// <summary>Creates the loop; <see cref="Start"/> runs it.</summary>
    /// <param name="store">This follower's store actor.</param>
    /// <param name="view">What the store publishes: its state, held-back count and pending epoch.</param>
    /// <param name="node">This follower's <c>NODE_ID</c>, sent so the leader's <c>/status</c> can show who is catching up.</param>
    /// <param name="leader">The leader's base URL (<c>LEADER_URL</c>).</param>
    /// <param name="http">A client whose default headers carry the replication token.</param>
    /// <param name="time">The clock for ticks, gaps and backoff.</param>
    /// <param name="catchUpAfter">How long a gap may last before it is fetched (<c>CATCH_UP_AFTER_MS</c>).</param>
    /// <param name="logger">For resyncs and an unreachable leader.</param>
    public CatchUpLoop(IActorRef store, StoreView view, string node, Uri leader, HttpClient http, TimeProvider time, TimeSpan catchUpAfter, ILogger logger)
    {
        _store = store;
        _view = view;
        _node = node;
        _leader = leader;
        _http = http;
        _time = time;
        _catchUpAfter = catchUpAfter;
        _logger = logger;
    }

    /// <summary>What the loop last did, for <c>/status</c>; safe to read from any thread.</summary>
    public CatchUpProgress Progress => Volatile.Read(ref _progress);

    /// <summary>Starts the loop on its own task.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Stops the loop and waits for it; a fetch in progress is abandoned.</summary>
    /// <returns>A task that completes when the loop has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        // A tick a quarter of the gap allowance keeps the reaction time near CATCH_UP_AFTER_MS.
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(_catchUpAfter.TotalMilliseconds / 4, 10, 250));
        do
        {
            // A newer epoch's first entry skips the backoff: until its snapshot is installed this
            // follower applies nothing, and in applied mode every acknowledgement waits for it.
            var now = _time.GetUtcNow();
            var pending = _view.PendingEpoch;
            var newEpochArrived = pending != 0 && pending != _pendingEpochTried;
            if ((now < _nextAttempt && !newEpochArrived) || ReasonToSync(now) is not { } reason)
            {
                continue;
            }

            _pendingEpochTried = pending;

            try
            {
                await SyncAsync(reason, cancellationToken);
                _lastSync = _time.GetUtcNow();
                _backoff = TimeSpan.Zero;
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or FormatException or TimeoutException
                                           or AskTimeoutException or NotSupportedException
                                           || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Exponential backoff with jitter, like the leader's deliveries: an unreachable
                // leader is asked again soon, but not hammered.
                _backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, Math.Max(100, _backoff.TotalMilliseconds * 2)));
                _nextAttempt = _time.GetUtcNow() + (_backoff * (0.5 + (Random.Shared.NextDouble() / 2)));
                var previous = Progress;
                if (previous.LastError is null)
                {
                    LogSyncFailed(_logger, _leader, ex.Message);
                }

                Volatile.Write(ref _progress, previous with { State = CatchUpState.LeaderUnreachable, LastError = ex.Message });
            }
        }
        while (await NextLookAsync(tick, cancellationToken));
    }

    // While entries are held back (a gap is being timed, or a newer epoch waits) the loop looks
    // every tick, as the gap's timing needs. Otherwise it sleeps until entries are held back, or
    // until the idle check or a retry after a failure is due: an idle follower does not wake 4
    // times a second for nothing.
    private async Task<bool> NextLookAsync(TimeSpan tick, CancellationToken cancellationToken)
    {
        var heldBack = _view.NextHeldBackChange();
        var wait = tick;
        if (_view.HeldBackCount == 0 && _view.PendingEpoch == 0)
        {
            var due = _lastSync == DateTimeOffset.MinValue ? _nextAttempt
                : _lastSync + IdleSync > _nextAttempt ? _lastSync + IdleSync : _nextAttempt;
            var untilDue = due - _time.GetUtcNow();
            wait = untilDue > tick ? untilDue : tick;
        }

        try
        {
            await heldBack.WaitAsync(wait, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        return true;
    }

    private string? ReasonToSync(DateTimeOffset now)
    {
        if (_lastSync == DateTimeOffset.MinValue)
        {
            return "start";
        }

        if (_view.PendingEpoch != 0)
        {
            return "new leader epoch";
        }

        var applied = _view.Current.AppliedSeq;
        if (_view.HeldBackCount == 0 || applied != _gapAt)
        {
            // No gap, or the gap moved: the missing entry arrived, so time the next gap afresh.
            _gapAt = _view.HeldBackCount == 0 ? -1 : applied;
            _gapSince = now;
        }
        else if (now - _gapSince >= _catchUpAfter)
        {
            _gapSince = now;
            return "gap";
        }

        return now - _lastSync >= IdleSync ? "idle check" : null;
    }

    private async Task SyncAsync(string reason, CancellationToken cancellationToken)
    {
        var progress = Progress;
        while (true)
        {
            var current = _view.Current;
            var query = string.Create(CultureInfo.InvariantCulture, $"/replication/entries?epoch={current.Epoch}&after={current.AppliedSeq}&limit={PageSize}&node={Uri.EscapeDataString(_node)}");
            var page = await GetAsync<CatchUpResponse>(query, cancellationToken);
            if (page.FullResync)
            {
                var document = await GetAsync<SnapshotDocument>("/replication/snapshot", cancellationToken);
                var installed = await _store.Ask<bool>(new StoreMessages.InstallSnapshot(document.ToStoreSnapshot(document.Epoch)), RequestTimeout, cancellationToken);
                progress = progress with { SnapshotsInstalled = progress.SnapshotsInstalled + (installed ? 1 : 0) };
                if (!installed)
                {
                    break;
                }

                LogResynced(_logger, reason, document.Epoch, document.Seq, document.Items.Count);
                continue;
            }

            var entries = page.Entries.Select(e => e.ToEntry()).ToList();
            var applied = await _store.Ask<long>(new StoreMessages.ApplyCaughtUp(page.Epoch, entries, page.Continues), RequestTimeout, cancellationToken);
            progress = progress with { EntriesFetched = progress.EntriesFetched + entries.Count };
            if (entries.Count > 0 && reason != "idle check")
            {
                LogCaughtUp(_logger, reason, entries.Count, entries[0].Seq, applied);
            }

            if (entries.Count == 0 || applied >= page.LeaderSeq || applied < entries[^1].Seq)
            {
                // Up to date, or the fetched entries did not apply (a newer epoch arrived meanwhile):
                // the next tick decides again.
                break;
            }
        }

        var brought = progress.EntriesFetched != Progress.EntriesFetched || progress.SnapshotsInstalled != Progress.SnapshotsInstalled;
        Volatile.Write(ref _progress, progress with
        {
            State = CatchUpState.Synced,
            LastSyncAt = _time.GetUtcNow(),
            LastError = null,
            CatchUps = progress.CatchUps + (brought ? 1 : 0),
        });
    }

    private Task<T> GetAsync<T>(string pathAndQuery, CancellationToken cancellationToken) =>
        _http.GetJsonAsync<T>(new Uri(_leader, pathAndQuery), RequestTimeout, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catch-up from the leader at {Leader} failed, retrying with backoff: {Error}")]
    private static partial void LogSyncFailed(ILogger logger, Uri leader, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Full resync ({Reason}): installed the leader's snapshot of epoch {Epoch} at seq {Seq} ({Items} keys)")]
    private static partial void LogResynced(ILogger logger, string reason, long epoch, long seq, int items);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caught up ({Reason}): fetched {Count} entries from seq {FirstSeq}, applied seq now {AppliedSeq}")]
    private static partial void LogCaughtUp(ILogger logger, string reason, int count, long firstSeq, long appliedSeq);
}
