using System.Globalization;
using KvPerf.Cli;
using KvPerf.Resources;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Restart;

/// <summary>
/// Runs every data size in turn, with a progress bar: write one node's file and copy it to all six,
/// start the six at once and time each to healthy (the leader also to ready and to its first write),
/// then kill one follower and time it started alone; stop the nodes and delete the data before the
/// next size, so that one size never shares the machine with another.
/// </summary>
public sealed class RestartRunner
{
    // The follower killed and restarted alone; any would do, all hold the same data.
    private const int RestartedFollower = 1;

    private readonly RestartSettings _settings;
    private readonly string _binary;
    private readonly string _certificate;
    private readonly string _workDirectory;

    /// <summary>Creates a runner.</summary>
    /// <param name="settings">The sizes and bounds.</param>
    /// <param name="binary">The KvHost binary to start.</param>
    /// <param name="certificate">The cluster certificate (<c>cluster.pfx</c>).</param>
    /// <param name="workDirectory">Where each size's data (<c>keys-N/</c>) and the logs (<c>logs/keys-N/</c>) go.</param>
    public RestartRunner(RestartSettings settings, string binary, string certificate, string workDirectory)
    {
        _settings = settings;
        _binary = binary;
        _certificate = certificate;
        _workDirectory = workDirectory;
    }

    /// <summary>Measures every size of the settings, in order.</summary>
    public async Task<IReadOnlyList<RestartCase>> RunAsync(CancellationToken ct)
    {
        var cases = new List<RestartCase>();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                // All rows up front, so the screen shows from the start how much is left.
                var rows = _settings.Keys.Select(k => new SizeRows(
                    progress.AddTask(Label(k, "write data", "waiting"), autoStart: false, maxValue: 1),
                    progress.AddTask(Label(k, "start all six", "waiting"), autoStart: false, maxValue: 1),
                    progress.AddTask(Label(k, $"restart follower{RestartedFollower}", "waiting"), autoStart: false, maxValue: 1))).ToArray();
                for (var i = 0; i < _settings.Keys.Count; i++)
                {
                    cases.Add(await RunSizeAsync(_settings.Keys[i], rows[i], ct));
                }
            });
        return cases;
    }

    private async Task<RestartCase> RunSizeAsync(int keys, SizeRows rows, CancellationToken ct)
    {
        var dataRoot = Path.Combine(_workDirectory, $"keys-{keys}");
        var logDirectory = Directory.CreateDirectory(Path.Combine(_workDirectory, "logs", $"keys-{keys}")).FullName;
        var topology = new RestartTopology(_settings.BasePort, dataRoot, _certificate);
        try
        {
            rows.Generate.StartTask();
            rows.Generate.Description = Label(keys, "write data", "writing one node's file");
            var data = await Task.Run(
                () => RestartDataSet.Generate(topology.Leader.DataDirectory, keys, _settings.LogTail, new Progress<double>(share => rows.Generate.Value = share * 0.9)),
                ct);
            rows.Generate.Description = Label(keys, "write data", "copying it to the five followers");
            await Task.Run(() => RestartDataSet.CopyTo(topology.Leader.DataDirectory, topology.FollowerNodes.Select(f => f.DataDirectory)), ct);
            rows.Generate.Description = Label(keys, "write data", $"{data.Megabytes:0.0} MB per node, written in {data.Elapsed.TotalSeconds:0.0} s");
            rows.Generate.Value = 1;
            rows.Generate.StopTask();

            var nodes = new List<RunningNode>();
            try
            {
                var start = await StartAllAsync(topology, keys, logDirectory, nodes, rows.Start, ct);
                var restart = start.LeaderReadyS is null
                    ? null
                    : await RestartFollowerAsync(topology, keys, nodes, logDirectory, rows.Restart, ct);
                if (restart is null)
                {
                    rows.Restart.Description = Label(keys, $"restart follower{RestartedFollower}", "skipped: the leader never got ready");
                }

                rows.Restart.Value = 1;
                rows.Restart.StopTask();
                return new RestartCase(keys, data.Megabytes, Math.Round(data.Elapsed.TotalSeconds, 2), start.Nodes, start.LeaderReadyS, start.LeaderFirstWriteS, restart);
            }
            finally
            {
                foreach (var node in nodes)
                {
                    node.Dispose();
                }
            }
        }
        finally
        {
            if (!_settings.KeepData && Directory.Exists(dataRoot))
            {
                Directory.Delete(dataRoot, recursive: true);
            }
        }
    }

    private async Task<ClusterStart> StartAllAsync(
        RestartTopology topology, int keys, string logDirectory, List<RunningNode> nodes, ProgressTask row, CancellationToken ct)
    {
        row.StartTask();
        row.Description = Label(keys, "start all six", "waiting for healthy, ready, first write");
        using var probe = new StartupProbe(TimeSpan.FromSeconds(_settings.TimeoutSeconds));

        // Followers first, then the leader, one right after the other: a cluster stopped whole and started again.
        foreach (var spec in topology.FollowerNodes.Append(topology.Leader))
        {
            nodes.Add(RunningNode.Start(_binary, spec, topology.EnvironmentOf(spec), Path.Combine(logDirectory, $"{spec.Name}.log")));
        }

        var leader = nodes[^1];
        var followers = nodes.Take(nodes.Count - 1).ToArray();
        var followersHealthy = followers.Select(f => probe.UntilHealthyAsync(f, ct)).ToArray();
        var leaderHealthy = probe.UntilHealthyAsync(leader, ct);
        var leaderReady = FollowAsync(leaderHealthy, () => probe.UntilAppliedAsync(leader, keys, ct));
        var firstWrite = FollowAsync(leaderReady, () => probe.UntilWrittenAsync(leader.Spec, leader, "restart-probe", RestartTopology.WriteQuorum, ct));
        await Task.WhenAll([.. followersHealthy, leaderHealthy, leaderReady, firstWrite]);

        var startups = new[] { leader }.Concat(followers)
            .Zip(new[] { leaderHealthy }.Concat(followersHealthy), (node, healthy) => Startup(node, healthy.Result))
            .ToArray();
        var slowest = startups.Max(s => s.HealthyS ?? double.PositiveInfinity);
        row.Description = Label(keys, "start all six",
            $"all healthy {Seconds(slowest)}, leader ready {Seconds(leaderReady.Result)}, first write {Seconds(firstWrite.Result)}");
        row.Value = 1;
        row.StopTask();
        return new ClusterStart(startups, leaderReady.Result, firstWrite.Result);
    }

    private async Task<FollowerRestart> RestartFollowerAsync(
        RestartTopology topology, int keys, List<RunningNode> nodes, string logDirectory, ProgressTask row, CancellationToken ct)
    {
        row.StartTask();
        var spec = topology.Nodes[RestartedFollower];
        using var probe = new StartupProbe(TimeSpan.FromSeconds(_settings.TimeoutSeconds));
        var leaderSeq = await probe.AppliedSeqAsync(topology.Leader, ct)
            ?? throw new InvalidOperationException($"The leader stopped answering /status before {spec.Name} was restarted.");

        row.Description = Label(keys, $"restart {spec.Name}", "killed; starting it alone");
        var index = nodes.FindIndex(n => n.Spec == spec);
        nodes[index].Dispose();
        var restarted = RunningNode.Start(_binary, spec, topology.EnvironmentOf(spec), Path.Combine(logDirectory, $"{spec.Name}-restarted.log"));
        nodes[index] = restarted;

        var healthy = await probe.UntilHealthyAsync(restarted, ct);
        var caughtUp = await probe.UntilAppliedAsync(restarted, leaderSeq, ct);
        var rss = NodeMeter.ReadRssMb(restarted.Pid);
        var written = await probe.UntilWrittenAsync(topology.Leader, restarted, "restart-probe", RestartTopology.WriteQuorum, ct);
        row.Description = Label(keys, $"restart {spec.Name}", $"healthy {Seconds(healthy)}, caught up {Seconds(caughtUp)}, in a write {Seconds(written)}");
        return new FollowerRestart(
            spec.Name, healthy, caughtUp, leaderSeq, written, rss, restarted.Marks.StorageLoadedMs, restarted.Marks.StorageLineS, restarted.LogPath);
    }

    // The next milestone is only awaited once the one before was reached.
    private static async Task<double?> FollowAsync(Task<double?> before, Func<Task<double?>> next) =>
        await before is null ? null : await next();

    private static NodeStartup Startup(RunningNode node, double? healthy) => new(
        node.Spec.Name, node.Spec.Role, healthy, NodeMeter.ReadRssMb(node.Pid),
        node.Marks.StorageLoadedMs, node.Marks.StorageLineS, node.Marks.RecoveredLineS, node.Marks.ReadyLineS, node.LogPath);

    private static string Seconds(double? seconds) =>
        seconds is { } s && !double.IsInfinity(s) ? $"{s.ToString("0.00", CultureInfo.InvariantCulture)} s" : "not in time";

    private static string Label(int keys, string step, string state) =>
        Markup.Escape($"{keys.ToString("#,0", CultureInfo.InvariantCulture),9} keys  {step,-18} {state}");

    private sealed record SizeRows(ProgressTask Generate, ProgressTask Start, ProgressTask Restart);

    private sealed record ClusterStart(IReadOnlyList<NodeStartup> Nodes, double? LeaderReadyS, double? LeaderFirstWriteS);
}
