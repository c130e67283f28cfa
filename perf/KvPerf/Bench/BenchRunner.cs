using System.Globalization;
using KvPerf.Cli;
using KvPerf.Experiment;
using KvPerf.Resources;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Bench;

/// <summary>
/// Runs every case, one target at a time and one case at a time (client and nodes share the
/// machine's cores, so overlapping cases would measure each other), with a progress bar: per
/// target, build or install it, then per W start it and run each client count (warm-up, then the
/// window, memory sampled at its end), then measure its idle CPU and stop it before the next
/// target starts.
/// </summary>
public sealed class BenchRunner
{
    private readonly BenchSettings _settings;

    /// <summary>Creates a runner with <paramref name="settings"/>.</summary>
    public BenchRunner(BenchSettings settings)
    {
        _settings = settings;
    }

    /// <summary>
    /// Runs the cases of every target in order; each target is stopped (disposed) once measured.
    /// Returns the cases (without ratios) and each target's footprint.
    /// </summary>
    public async Task<(IReadOnlyList<BenchCase> Cases, IReadOnlyList<SystemFootprint> Footprints)> RunAsync(
        IReadOnlyList<IBenchTarget> targets, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var cases = new List<BenchCase>();
        var footprints = new List<SystemFootprint>();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                // All rows up front, so the screen shows from the start how much is left.
                var rows = targets.Select(t => new TargetRows(
                    progress.AddTask(Label(t.System, "prepare", "waiting"), autoStart: false, maxValue: 1),
                    _settings.Quorums.ToDictionary(
                        w => w,
                        w => _settings.Clients.Select(c => progress.AddTask(Label(t.System, Case(w, c), "waiting"), autoStart: false, maxValue: 1)).ToArray()),
                    progress.AddTask(Label(t.System, "idle CPU", "waiting"), autoStart: false, maxValue: 1))).ToArray();
                for (var i = 0; i < targets.Count; i++)
                {
                    await using var target = targets[i];
                    var (targetCases, footprint) = await RunTargetAsync(target, rows[i], ct);
                    cases.AddRange(targetCases);
                    footprints.Add(footprint);
                }
            });
        return (cases, footprints);
    }

    private async Task<(List<BenchCase> Cases, SystemFootprint Footprint)> RunTargetAsync(IBenchTarget target, TargetRows rows, CancellationToken ct)
    {
        rows.Prepare.StartTask();
        rows.Prepare.Description = Label(target.System, "prepare", "building / installing");
        await target.PrepareAsync(ct);
        rows.Prepare.Description = Label(target.System, "prepare", "done");
        rows.Prepare.Increment(1);
        rows.Prepare.StopTask();

        var cases = new List<BenchCase>();
        foreach (var w in _settings.Quorums)
        {
            var caseRows = rows.Cases[w];
            caseRows[0].StartTask();
            caseRows[0].Description = Label(target.System, Case(w, _settings.Clients[0]), "starting");
            await target.StartAsync(w, ct);
            for (var c = 0; c < _settings.Clients.Count; c++)
            {
                var warmup = TimeSpan.FromSeconds(_settings.WarmupSecondsOf(firstAfterStart: c == 0));
                cases.Add(await RunCaseAsync(target, w, _settings.Clients[c], warmup, caseRows[c], ct));
            }
        }

        rows.Idle.StartTask();
        rows.Idle.Description = Label(target.System, "idle CPU", $"waiting {_settings.IdleAfterSeconds} s, then measuring for {_settings.IdleSeconds} s");
        await Task.Delay(TimeSpan.FromSeconds(_settings.IdleAfterSeconds), ct);
        var nodes = await target.NodesAsync(ct);
        var idle = await NodeMeter.MeasureCpuPercentAsync(nodes, TimeSpan.FromSeconds(_settings.IdleSeconds), ct);
        var source = nodes.All(n => n.CpuAccountingFile is not null) ? "cgroup" : "process";
        rows.Idle.Description = Label(target.System, "idle CPU", $"{Format(idle, "0.0")} % of one core ({nodes.Count} nodes, {source})");
        rows.Idle.Increment(1);
        rows.Idle.StopTask();

        // Memory under the heaviest load: the last case run with the most clients.
        var heaviest = cases.Where(c => c.Clients == _settings.Clients.Max()).Last();
        return (cases, new SystemFootprint(
            target.System, Case(heaviest.WriteQuorum, heaviest.Clients), heaviest.RssMb, idle, _settings.IdleSeconds, source));
    }

    private async Task<BenchCase> RunCaseAsync(IBenchTarget target, int w, int clients, TimeSpan warmup, ProgressTask row, CancellationToken ct)
    {
        row.StartTask();
        var label = Case(w, clients);
        row.Description = Label(target.System, label, "connecting");
        var connections = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => target.ConnectAsync(ct)));
        IReadOnlyDictionary<string, double?> rss = new Dictionary<string, double?>();
        double? load = null;
        try
        {
            var window = TimeSpan.FromSeconds(_settings.DurationSeconds);
            row.Description = Label(target.System, label, "warm-up, then measuring");
            var result = await ClosedLoopDriver.RunAsync(
                connections,
                new BenchWrites(_settings.Keys),
                warmup,
                window,
                async token =>
                {
                    var nodes = await target.NodesAsync(token);
                    rss = nodes.ToDictionary(n => n.Name, n => NodeMeter.ReadRssMb(n.Pid));
                    load = MachineLoad.OneMinuteAverage();
                },
                share => row.Value = share,
                ct);
            var measured = result.Summarize();
            row.Description = Label(target.System, label,
                $"{Format(measured.WritesPerSecond, "#,0")} writes/s, p50 {Format(measured.P50Ms, "0.00")} ms, p99 {Format(measured.P99Ms, "0.0")} ms" +
                (measured.Errors > 0 ? $", {measured.Errors} errors" : ""));
            var rssValues = rss.Values.OfType<double>().ToArray();
            return new BenchCase(
                target.System, w, clients, measured, result.ErrorsByReason, RatioToRedis: null,
                RssMb: rssValues.Length == 0 ? null : Math.Round(rssValues.Sum(), 1),
                NodesRssMb: rss,
                MachineLoad1m: load);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            row.StopTask();
        }
    }

    /// <summary>How a case is named in the progress bar, the footprint and the chart.</summary>
    public static string Case(int writeQuorum, int clients) =>
        $"W={writeQuorum}, {clients} {(clients == 1 ? "client" : "clients")}";

    private static string Label(string system, string step, string state) =>
        Markup.Escape($"{system,-15} {step,-18} {state}");

    private static string Format(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private sealed record TargetRows(ProgressTask Prepare, Dictionary<int, ProgressTask[]> Cases, ProgressTask Idle);
}
