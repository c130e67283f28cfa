using System.Diagnostics.Metrics;
using KvActors.Replication.Leader;
using KvHost.Hosting;

namespace KvHost.Metrics;

/// <summary>
/// The node's metrics: the instruments of the <c>kvstore</c> meter (System.Diagnostics.Metrics), which
/// <see cref="MetricsHosting"/> serves at <c>GET /metrics</c> in the Prometheus text format. The README's
/// "Metrics" section lists the series as Prometheus names them (dots become underscores, counters end
/// in <c>_total</c>, a unit in seconds adds <c>_seconds</c>).
/// </summary>
/// <remarks>
/// <para>The write path pays one counter add and one histogram record per answered write
/// (<see cref="WriteAnswered"/>), both lock-free and allocation-free (the tags are static). Everything
/// else is an observable instrument whose callback runs at scrape time and reads what the node already
/// publishes for other threads: the store's <c>StoreView</c>, the coordinator's
/// <see cref="LeaderStatusView"/>, the catch-up's <c>Progress</c>. No actor is asked and none takes a lock.</para>
/// <para>The meter comes from the host's <see cref="IMeterFactory"/>, so it belongs to this node's
/// service provider: several nodes in one process (the in-process cluster) each export only their own.</para>
/// </remarks>
public sealed class KvMetrics
{
    /// <summary>The meter's name, which the exporter is told to listen to.</summary>
    public const string MeterName = "kvstore";

    // Client-seen write latency spans 0.1 ms (W = 0 on an idle leader) to the replication timeout
    // (5 s by default, 504s included): roughly 1-2.5-5 per decade, as Prometheus' defaults are.
    private static readonly double[] WriteDurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly KeyValuePair<string, object?> Committed = new("outcome", "committed");
    private static readonly KeyValuePair<string, object?> NotCommitted = new("outcome", "not_committed");
    private static readonly FollowerState[] FollowerStates = Enum.GetValues<FollowerState>();

    private readonly Counter<long> _committed;
    private readonly Counter<long> _notCommitted;
    private readonly Histogram<double> _writeDuration;

    /// <summary>Creates the meter and its instruments; a leader's and a follower's differ (see the README).</summary>
    /// <param name="meters">The host's meter factory.</param>
    /// <param name="node">The node's actors and what they publish.</param>
    public KvMetrics(IMeterFactory meters, NodeActors node)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(node);
        var meter = meters.Create(MeterName);
        _committed = meter.CreateCounter<long>("kvstore.writes.committed", "{write}",
            "Client writes answered 200: acknowledged by W followers (the leader's /status writes.committed).");
        _notCommitted = meter.CreateCounter<long>("kvstore.writes.not_committed", "{write}",
            "Client writes answered 504: applied on the leader, not acknowledged by W followers in time.");
        _writeDuration = meter.CreateHistogram("kvstore.write.duration", "s",
            "Time from the leader's write coordinator taking a client write to its answer (200 or 504), by outcome.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteDurationBuckets });

        meter.CreateObservableGauge("kvstore.applied_seq", () => node.View.Current.AppliedSeq, "{entry}",
            "The highest seq applied on this node, readable by GET /kv.");
        meter.CreateObservableGauge("kvstore.epoch", () => node.View.Current.Epoch, "{epoch}",
            "The leader epoch this node's data belongs to (0 on a leader still recovering).");
        switch (node.Settings.Role)
        {
            case LeaderSettings:
                AddLeaderInstruments(meter, node);
                break;
            case FollowerSettings:
                AddFollowerInstruments(meter, node);
                break;
        }
    }

    /// <summary>
    /// Counts a client write's answer and records how long it took; other outcomes (404, 500) are not
    /// counted, nor a retry answered from its <c>Idempotency-Key</c>, which wrote nothing.
    /// </summary>
    /// <param name="outcome">What the write coordinator answered.</param>
    /// <param name="elapsed">From handing the write to the coordinator to its answer.</param>
    public void WriteAnswered(WriteOutcome outcome, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Replayed)
        {
            return;
        }

        switch (outcome)
        {
            case WriteOutcome.WriteCommitted:
                _committed.Add(1);
                _writeDuration.Record(elapsed.TotalSeconds, Committed);
                break;
            case WriteOutcome.QuorumNotReached:
                _notCommitted.Add(1);
                _writeDuration.Record(elapsed.TotalSeconds, NotCommitted);
                break;
        }
    }

    private static void AddLeaderInstruments(Meter meter, NodeActors node)
    {
        meter.CreateObservableGauge("kvstore.leader.recovering", () => node.IsReady ? 0 : 1, null,
            "1 while a started leader recovers the cluster's data from its followers (it answers 503 meanwhile), 0 once it takes writes.");
        meter.CreateObservableGauge("kvstore.writes.in_flight", () => node.LeaderStatus.Current?.WritesInFlight ?? 0, "{write}",
            "Writes still being delivered to at least one follower.");
        meter.CreateObservableGauge("kvstore.follower.acked_seq", () => PerFollower(node, f => f.AckedSeq), "{entry}",
            "The highest seq each follower acknowledged.");
        meter.CreateObservableGauge("kvstore.follower.applied_seq", () => PerFollower(node, f => f.AppliedSeq), "{entry}",
            "Each follower's applied seq as it last reported it.");
        meter.CreateObservableGauge("kvstore.follower.lag", () => PerFollower(node, f => f.Lag), "{entry}",
            "Replication lag in entries: the leader's last seq minus the follower's applied seq.");
        meter.CreateObservableGauge("kvstore.follower.lag.time", () => PerFollower(node, f => f.LagMs / 1000.0), "s",
            "Replication lag in time: how long ago the leader appended the oldest entry the follower has not applied; 0 when caught up.");
        meter.CreateObservableGauge("kvstore.follower.state", () => FollowerStateMeasurements(node), null,
            "1 for each follower's current state (streaming, catching-up, unreachable), 0 for the others.");
    }

    private static void AddFollowerInstruments(Meter meter, NodeActors node)
    {
        meter.CreateObservableGauge("kvstore.held_back", () => node.View.HeldBackCount, "{entry}",
            "Entries received ahead of a missing one (or of a newer epoch's snapshot), not yet applied.");
        meter.CreateObservableCounter("kvstore.catchup.entries_fetched", () => node.CatchUp?.Progress.EntriesFetched ?? 0, "{entry}",
            "Entries this follower fetched from the leader's backlog (partial resyncs).");
        meter.CreateObservableCounter("kvstore.catchup.snapshots_installed", () => node.CatchUp?.Progress.SnapshotsInstalled ?? 0, "{snapshot}",
            "Leader snapshots this follower installed (full resyncs).");
        meter.CreateObservableCounter("kvstore.catchups", () => node.CatchUp?.Progress.CatchUps ?? 0, "{catchup}",
            "Syncs with the leader that brought this follower entries or a snapshot it had missed (checks that found it up to date not counted).");
    }

    // One measurement per follower, tagged with its node name, from the coordinator's last published status.
    private static IEnumerable<Measurement<T>> PerFollower<T>(NodeActors node, Func<FollowerStatus, T> value)
        where T : struct =>
        node.LeaderStatus.Current?.Followers.Select(f => new Measurement<T>(value(f), new KeyValuePair<string, object?>("follower", f.Node))) ?? [];

    private static IEnumerable<Measurement<int>> FollowerStateMeasurements(NodeActors node) =>
        from f in node.LeaderStatus.Current?.Followers ?? []
        from state in FollowerStates
        select new Measurement<int>(f.State == state ? 1 : 0, new("follower", f.Node), new("state", StateName(state)));

    private static string StateName(FollowerState state) => state switch
    {
        FollowerState.CatchingUp => "catching-up",
        FollowerState.Unreachable => "unreachable",
        _ => "streaming",
    };
}
