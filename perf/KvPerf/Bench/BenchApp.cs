using System.Runtime.InteropServices;
using KvPerf.Cli;
using KvPerf.Cluster;
using KvPerf.Experiment;
using KvPerf.Redis;
using KvPerf.Report;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Bench;

/// <summary>
/// The <c>bench</c> command's one action: set up the targets asked for, run every case, write
/// results/bench.json and results/bench.html, and print the tables. Every process it started is
/// stopped on the way out, on success, failure or Ctrl-C.
/// </summary>
public static class BenchApp
{
    /// <summary>Runs the benchmark with <paramref name="settings"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ReportOnly)
        {
            await ReportAsync(await BenchResults.ReadAsync(settings.JsonPath, ct), settings, ct);
            return 0;
        }

        var layout = RepositoryLayout.Find();
        Directory.CreateDirectory(settings.OutDirectory);
        var logDirectory = Directory.CreateTempSubdirectory("kvbench-").FullName;
        var runner = new ScriptRunner(Path.Combine(logDirectory, "commands.log"));
        AnsiConsole.MarkupLineInterpolated($"logs: [grey]{logDirectory}[/]");
        AnsiConsole.MarkupLineInterpolated(
            $"measuring takes {settings.MeasuringTime.TotalMinutes:0.0} min, plus builds and cluster starts");

        var started = DateTimeOffset.UtcNow;
        var loadAtStart = MachineLoad.OneMinuteAverage();
        var targets = settings.Targets.Select(t => CreateTarget(t, settings, layout, logDirectory, runner)).ToArray();
        try
        {
            var (cases, footprints) = await new BenchRunner(settings).RunAsync(targets, ct);
            var (commit, dirty) = await runner.GitStateAsync(layout.Root, ct);
            var machine = new BenchMachine(
                Environment.ProcessorCount, started, commit, dirty, RuntimeInformation.OSDescription,
                RuntimeInformation.FrameworkDescription, targets.OfType<RedisTarget>().FirstOrDefault()?.Version, loadAtStart);
            var results = new BenchResults(
                machine, settings.ToConfig(new BenchWrites(settings.Keys).For(0).ValueJson), BenchResults.WithRatios(cases), footprints);

            await results.WriteAsync(settings.JsonPath, ct);
            AnsiConsole.MarkupLineInterpolated($"wrote [bold]{settings.JsonPath}[/]");
            await ReportAsync(results, settings, ct);
            if (results.Cases.Any(c => c.Measured.Errors > 0))
            {
                // Figures with failed writes are still figures; the table shows where, the JSON why.
                AnsiConsole.MarkupLine("[red]some writes failed:[/] see the errors column and errorsByReason in the JSON");
            }

            return 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]bench cancelled[/]: stopping what it started, writing no results");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or TimeoutException or HttpRequestException
            or StackExchange.Redis.RedisException)
        {
            // Expected failures (a cluster that did not start, a port taken, a missing tool) get one
            // clear message; anything else is a bug in this program and keeps its stack trace.
            AnsiConsole.MarkupLineInterpolated($"[red]bench failed:[/] {ex.Message}");
            return 1;
        }
        finally
        {
            // The runner stops each target once measured; this covers the ones a failure or Ctrl-C left.
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    private static async Task ReportAsync(BenchResults results, BenchSettings settings, CancellationToken ct)
    {
        AnsiConsole.Write(BenchTable.Cases(results));
        AnsiConsole.Write(BenchTable.Footprints(results));
        await BenchChart.WriteAsync(results, settings.HtmlPath, ct);
        AnsiConsole.MarkupLineInterpolated($"wrote [bold]{settings.HtmlPath}[/]");
    }

    private static IBenchTarget CreateTarget(string target, BenchSettings settings, RepositoryLayout layout, string logDirectory, ScriptRunner runner)
    {
        var system = BenchSystems.Of(target);
        switch (target)
        {
            case "local" or "local-everysec" or "local-always":
                // The local targets run one after another on the same ports, each with fresh processes;
                // each logs in a folder of its own, as every launcher names its files run01-NODE.log.
                var local = new LocalProcessCluster(
                    settings.KvHostPath, layout.Root, settings.LocalBasePort, ExperimentSettings.Followers,
                    Directory.CreateDirectory(Path.Combine(logDirectory, target)).FullName, runner, BenchSystems.LocalFsyncOf(target));
                return new KvStoreTarget(system, local, _ => Task.FromResult<IReadOnlyList<Resources.NodeProcess>>(
                    local.RunningNodes.Select(n => new Resources.NodeProcess(n.NodeId, n.Pid, null)).ToArray()));
            case "compose":
                // Pinned, so that the name's "(everysec)" holds whatever FSYNC the shell that runs make bench has.
                var compose = new ComposeCluster(layout.ClusterScript, layout.Root, ExperimentSettings.Followers, runner, FsyncPolicy.EverySec);
                return new KvStoreTarget(system, compose, new ComposeNodes(layout.ClusterScript, layout.Root, runner).FindAsync);
            case "redis":
                return new RedisTarget(new RedisReplicaSet(
                    layout.EnsureRedisScript, layout.Root, settings.RedisBasePort, ExperimentSettings.Followers,
                    Path.Combine(logDirectory, "redis"), runner));
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, "Not a bench target.");
        }
    }
}
