using KvPerf.Cli;
using KvPerf.Cluster;
using KvPerf.Report;
using KvPerf.Results;
using Spectre.Console;

namespace KvPerf.Experiment;

/// <summary>
/// The program's one action: run the sweep (or load its JSON with <c>--report-only</c>), write
/// results/quorum-latency.json, the HTML report and its PNG, and print the summary. Exit code 0
/// only if every file was written and the chart rendered without a script error.
/// </summary>
public static class ExperimentApp
{
    /// <summary>Runs the experiment with <paramref name="settings"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(ExperimentSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var layout = RepositoryLayout.Find();
        Directory.CreateDirectory(settings.OutDirectory);
        try
        {
            ExperimentResults results;
            if (settings.ReportOnly)
            {
                results = await ExperimentResults.ReadAsync(settings.JsonPath, ct);
            }
            else
            {
                await using var cluster = CreateCluster(settings, layout);
                results = await new ExperimentRunner(settings, cluster).RunAsync(ct);
                await results.WriteAsync(settings.JsonPath, ct);
                AnsiConsole.MarkupLineInterpolated($"wrote [bold]{settings.JsonPath}[/]");
            }

            AnsiConsole.Write(SummaryTable.Build(results));
            return await WriteReportAsync(results, settings, ct);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or TimeoutException or HttpRequestException)
        {
            // Expected failures (a cluster that did not start, a missing tool) get one clear
            // message; anything else is a bug in this program and keeps its stack trace.
            AnsiConsole.MarkupLineInterpolated($"[red]experiment failed:[/] {ex.Message}");
            return 1;
        }
    }

    private static IClusterLauncher CreateCluster(ExperimentSettings settings, RepositoryLayout layout)
    {
        var logDirectory = Directory.CreateTempSubdirectory("kvperf-").FullName;
        var runner = new ScriptRunner(Path.Combine(logDirectory, "cluster.log"));
        AnsiConsole.MarkupLineInterpolated($"cluster logs: [grey]{logDirectory}[/]");
        return settings.Cluster == "local"
            ? new LocalProcessCluster(settings.KvHostPath, layout.Root, settings.LocalBasePort, ExperimentSettings.Followers, logDirectory, runner)
            : new ComposeCluster(layout.ClusterScript, layout.Root, ExperimentSettings.Followers, runner);
    }

    private static async Task<int> WriteReportAsync(ExperimentResults results, ExperimentSettings settings, CancellationToken ct)
    {
        var chart = ExperimentChart.Build(results);
        await File.WriteAllTextAsync(settings.HtmlPath, OfflinePage.ToHtml(chart, ExperimentChart.PageTitle(results)), ct);
        AnsiConsole.MarkupLineInterpolated($"wrote [bold]{settings.HtmlPath}[/]");

        var check = await new ChromiumRenderer().RenderAsync(settings.HtmlPath, settings.PngPath, ct);
        var expected = Plotly.NET.CSharp.GenericChartExtensions.GetTraces(chart).Count();
        if (!check.Rendered || check.RenderedTraceCount != expected)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[red]the chart did not render as expected:[/] {check.MainSvgCount} .main-svg, {check.RenderedTraceCount} of {expected} traces, errors: {string.Join("; ", check.PageErrors)}");
            return 1;
        }

        AnsiConsole.MarkupLineInterpolated($"wrote [bold]{settings.PngPath}[/] ({check.RenderedTraceCount} traces drawn, no script error)");
        return 0;
    }
}
