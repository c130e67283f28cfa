using System.Diagnostics;
using KvPerf.Cli;
using KvPerf.Client;
using KvPerf.Cluster;
using KvPerf.Consistency;
using KvPerf.Load;
using KvPerf.Results;
using KvPerf.Statistics;
using Spectre.Console;

namespace KvPerf.Experiment;

/// <summary>
/// Runs the sweep: for each ack mode and each W, a fresh cluster, the timed writes, then the
/// replicas compared right after the last answer and again until they drain. Shows a progress
/// bar per run. Runs strictly one after another: the nodes and the client share two cores, and
/// overlapping runs would measure each other.
/// </summary>
public sealed class ExperimentRunner
{
    private readonly ExperimentSettings _settings;
    private readonly IClusterLauncher _cluster;

    /// <summary>Creates a runner that starts its clusters with <paramref name="cluster"/>.</summary>
    public ExperimentRunner(ExperimentSettings settings, IClusterLauncher cluster)
    {
        _settings = settings;
        _cluster = cluster;
    }

    /// <summary>Runs every ack mode and W and returns the results.</summary>
    public async Task<ExperimentResults> RunAsync(CancellationToken ct)
    {
        var config = _settings.ToConfig(DateTimeOffset.UtcNow);
        var sweeps = new List<SweepResult>();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var prepare = progress.AddTask($"build the {_settings.Cluster} cluster", maxValue: 1);
                await _cluster.PrepareAsync(ct);
                prepare.Increment(1);

                // All rows up front, so the screen shows from the start how much is left.
                var rows = _settings.AckModes.ToDictionary(
                    mode => mode,
                    mode => _settings.Quorums.Select(w => progress.AddTask(Label(mode, w, "waiting"), autoStart: false, maxValue: _settings.Writes)).ToArray());
                foreach (var mode in _settings.AckModes)
                {
                    var runs = new List<RunResult>();
                    for (var i = 0; i < _settings.Quorums.Count; i++)
                    {
                        runs.Add(await RunOneAsync(mode, _settings.Quorums[i], rows[mode][i], ct));
                    }

                    sweeps.Add(new SweepResult(mode, runs));
                }
            });
        return new ExperimentResults(config, sweeps);
    }

    private async Task<RunResult> RunOneAsync(string ackMode, int writeQuorum, ProgressTask row, CancellationToken ct)
    {
        row.StartTask();
        row.Description = Label(ackMode, writeQuorum, "starting the cluster");
        var settings = new RunSettings(writeQuorum, ackMode, _settings.MinDelayMs, _settings.MaxDelayMs);
        var endpoints = await _cluster.StartAsync(settings, ct);
        try
        {
            // A fresh handler per run: the previous run's pooled connections went to nodes now gone.
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                // Well past REPLICATION_TIMEOUT_MS (5 s), so the store's 504 arrives before we give up.
                Timeout = TimeSpan.FromSeconds(30),
            };
            var leader = new KvClient(http, endpoints.Leader);
            var followers = endpoints.Followers.Select(f => new KvClient(http, f)).ToArray();
            var probe = new ConsistencyProbe(leader, followers);
            await CheckFreshClusterAsync(leader, probe, writeQuorum, ct);
            await KvClient.WarmUpWriteSerializationAsync(ct);
            if (_settings.WarmUpWrites > 0 || _settings.WarmUpSeconds > 0)
            {
                // The nodes' first writes run tier-0 code while the JIT recompiles the hot paths in
                // the background; these writes take that cost, and the measured ones come after.
                // A count alone is too short where writes are quick (W = 1), hence the time floor.
                row.Description = Label(ackMode, writeQuorum, $"warming up ({_settings.WarmUpWrites} writes, at least {_settings.WarmUpSeconds} s)");
                var started = Stopwatch.GetTimestamp();
                var batch = Math.Max(_settings.WarmUpWrites, _settings.Concurrency);
                do
                {
                    await new WriteLoad(leader).RunAsync(batch, _settings.Concurrency, _settings.Keys, () => { }, ct);
                    batch = _settings.Concurrency * 10;
                }
                while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(_settings.WarmUpSeconds));
            }

            row.Description = Label(ackMode, writeQuorum, "writing");
            var load = await new WriteLoad(leader).RunAsync(
                _settings.Writes, _settings.Concurrency, _settings.Keys, () => row.Increment(1), ct);

            row.Description = Label(ackMode, writeQuorum, "waiting for followers to equal the leader");
            var consistency = await probe.MeasureAsync(load.LastAnswerTimestamp, TimeSpan.FromMilliseconds(_settings.ConvergenceBoundMs), ct);

            if (load.AnsweredWriteQuorums.Any(q => q != writeQuorum))
            {
                throw new InvalidOperationException(
                    $"The leader answered with writeQuorum {string.Join(", ", load.AnsweredWriteQuorums)}, not the W={writeQuorum} it was started with.");
            }

            var summary = LatencyStatistics.Summarize(load.LatenciesMs);
            var beyond = LatencyStatistics.SummarizeBeyondInjectedDelay(load.LatenciesByWrite, load.InjectedDelaysByWrite);
            row.Description = Label(ackMode, writeQuorum, summary is null
                ? "no write succeeded"
                : $"mean {summary.Mean:0} ms ({(beyond is null ? "no Server-Timing" : $"{beyond.Mean:0} beyond the delay")}), {load.Failures} failed, {(consistency.Converged ? $"equal after {consistency.ConvergenceMs:0} ms" : "NOT converged")}");
            return new RunResult(
                WriteQuorum: writeQuorum,
                LatencyMs: summary,
                ExpectedMeanMs: Math.Round(LatencyStatistics.ExpectedMeanMs(writeQuorum, ExperimentSettings.Followers, _settings.MinDelayMs, _settings.MaxDelayMs), 2),
                BeyondInjectedDelayMs: beyond,
                Successes: load.LatenciesMs.Count,
                Failures: load.Failures,
                FailuresByReason: load.FailuresByReason,
                Consistency: consistency,
                MachineLoad1m: MachineLoad.OneMinuteAverage(),
                WriteLatenciesMs: load.LatenciesByWrite,
                InjectedDelaysMs: load.InjectedDelaysByWrite);
        }
        finally
        {
            row.StopTask();
            await _cluster.StopRunAsync(ct);
        }
    }

    /// <summary>
    /// Makes sure the run measures what it claims: six empty stores (seq starts at 1) and, where
    /// the leader reports it, the W it was asked to start with. The read of all six stores also
    /// warms what the snapshot right after the last answer uses (the nodes' GET /kv, this
    /// process's JSON reader), so that snapshot is not slowed by first-call JIT; it changes no state.
    /// </summary>
    private static async Task CheckFreshClusterAsync(KvClient leader, ConsistencyProbe probe, int writeQuorum, CancellationToken ct)
    {
        var (leaderStore, followerStores) = await probe.SnapshotAsync(ct);
        if (leaderStore.AppliedSeq != 0 || followerStores.Any(f => f.AppliedSeq != 0))
        {
            throw new InvalidOperationException(
                $"The cluster is not fresh: appliedSeq {leaderStore.AppliedSeq} on the leader, {string.Join(", ", followerStores.Select(f => f.AppliedSeq?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? f.Error))} on the followers.");
        }

        var status = await leader.GetStatusAsync(ct);

        if (status.WriteQuorum is { } reported && reported != writeQuorum)
        {
            throw new InvalidOperationException($"The leader runs with writeQuorum {reported}, not the W={writeQuorum} it was started with.");
        }
    }

    private static string Label(string ackMode, int writeQuorum, string state) =>
        Markup.Escape($"{ackMode,-8} W={writeQuorum}: {state}");
}
