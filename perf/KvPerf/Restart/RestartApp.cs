using System.Runtime.InteropServices;
using KvPerf.Cli;
using KvPerf.Cluster;
using KvPerf.Experiment;
using KvPerf.Report;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Restart;

/// <summary>
/// The <c>restart</c> command's one action: build KvHost, measure every data size, write the
/// results file, and print the table and where the time went. Every node it started is killed on
/// the way out, on success, failure or Ctrl-C.
/// </summary>
public static class RestartApp
{
    /// <summary>Runs the measurement with <paramref name="settings"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(RestartSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ReportOnly)
        {
            Report(await RestartResults.ReadAsync(settings.OutputPath, ct));
            return 0;
        }

        var layout = RepositoryLayout.Find();
        var workDirectory = settings.WorkDirectory is { } chosen
            ? Directory.CreateDirectory(chosen).FullName
            : Directory.CreateTempSubdirectory("kvrestart-").FullName;
        var runner = new ScriptRunner(Path.Combine(workDirectory, "commands.log"));
        AnsiConsole.MarkupLineInterpolated($"data and logs: [grey]{workDirectory}[/]");

        var started = DateTimeOffset.UtcNow;
        var loadAtStart = MachineLoad.OneMinuteAverage();
        try
        {
            var binary = await PrepareAsync(settings, layout, runner, ct);
            var certificate = Path.Combine(layout.Root, "docker", "certs", "cluster.pfx");
            var cases = await new RestartRunner(settings, binary, certificate, workDirectory).RunAsync(ct);

            var (commit, dirty) = await runner.GitStateAsync(layout.Root, ct);
            var machine = new RestartMachine(
                Environment.ProcessorCount, started, commit, dirty, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, loadAtStart);
            var results = new RestartResults(machine, ConfigOf(settings), cases);
            if (Path.GetDirectoryName(Path.GetFullPath(settings.OutputPath)) is { } outputDirectory)
            {
                Directory.CreateDirectory(outputDirectory);
            }

            await results.WriteAsync(settings.OutputPath, ct);
            AnsiConsole.MarkupLineInterpolated($"wrote [bold]{settings.OutputPath}[/]");
            Report(results);
            return 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]restart cancelled[/]: the nodes are stopped, no results written");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException
            or KvActors.Storage.StorageException)
        {
            // Expected failures (a node that exits at start, a port taken, a full disk) get one
            // clear message; anything else is a bug in this program and keeps its stack trace.
            AnsiConsole.MarkupLineInterpolated($"[red]restart failed:[/] {ex.Message}");
            return 1;
        }
    }

    /// <summary>The settings as written into the results file.</summary>
    public static RestartConfig ConfigOf(RestartSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RestartConfig(
            settings.Keys, RestartDataSet.ValueOf(0), RestartDataSet.Epoch, settings.LogTail, RestartDataSet.BatchKeys,
            RestartTopology.Followers, RestartTopology.WriteQuorum, RestartTopology.Fsync, RestartTopology.AckMode,
            StartupProbe.PollIntervalMs, settings.TimeoutSeconds, RestartSettings.HealthyGoalSeconds);
    }

    private static void Report(RestartResults results)
    {
        AnsiConsole.Write(RestartTable.Cases(results));
        AnsiConsole.Write(RestartTable.Breakdown(results));
        foreach (var line in RestartTable.Verdict(results))
        {
            AnsiConsole.WriteLine(line);
        }
    }

    private static async Task<string> PrepareAsync(RestartSettings settings, RepositoryLayout layout, ScriptRunner runner, CancellationToken ct)
    {
        return await AnsiConsole.Status().StartAsync("building KvHost (Release) and the cluster certificate", async _ =>
        {
            var binary = settings.KvHostPath ?? Path.Combine(layout.Root, "KvHost", "bin", "Release", "net10.0", "KvHost");
            if (settings.KvHostPath is null)
            {
                await runner.RunAsync("dotnet", ["build", "KvHost/KvHost.csproj", "-c", "Release", "--nologo", "-v", "q"], layout.Root, null, ct);
            }

            if (!File.Exists(binary))
            {
                throw new IOException($"The KvHost binary {binary} is missing.");
            }

            // The nodes talk Akka.Remote over mutual TLS with the cluster certificate, as in compose.
            await runner.RunAsync("bash", [Path.Combine("scripts", "cluster-cert.sh"), Path.Combine(layout.Root, "docker", "certs")], layout.Root, null, ct);
            return binary;
        });
    }
}
