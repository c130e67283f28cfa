using System.Net;
using System.Text;
using System.Text.Json;
using KvPerf.Results;

namespace KvPerf.Report;

/// <summary>
/// Writes the self-contained HTML report: plotly.js inlined (so the file opens offline, without
/// network access) and the figure from <see cref="PlotlyFigureBuilder"/> as a JSON literal.
/// </summary>
public sealed class HtmlReportWriter
{
    private readonly string _plotlyScriptPath;

    /// <summary>Creates a writer that inlines the plotly.js found at <paramref name="plotlyScriptPath"/>.</summary>
    public HtmlReportWriter(string plotlyScriptPath)
    {
        _plotlyScriptPath = plotlyScriptPath;
    }

    /// <summary>Builds the HTML page for <paramref name="results"/>.</summary>
    /// <exception cref="FileNotFoundException">plotly.js is not installed (run perf/ensure-report-tools.sh).</exception>
    public async Task<string> BuildAsync(ExperimentResults results, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (!File.Exists(_plotlyScriptPath))
        {
            throw new FileNotFoundException(
                "plotly.js is not installed; run perf/ensure-report-tools.sh (npm ci in perf/).", _plotlyScriptPath);
        }

        var plotly = await File.ReadAllTextAsync(_plotlyScriptPath, ct);

        // An inline script ends at the first "</script", wherever it stands; plotly.min.js has
        // none today, and a future version that did would silently truncate the page.
        if (plotly.Contains("</script", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{_plotlyScriptPath} contains \"</script\" and cannot be inlined as is.");
        }

        // The default encoder escapes <, > and & as \u003C..., so the JSON cannot close the script either.
        var figure = PlotlyFigureBuilder.Build(results).ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        var title = WebUtility.HtmlEncode(
            $"kvstore quorum experiment ({results.Config.Cluster} cluster, {results.Config.StartedAtUtc:yyyy-MM-dd HH:mm} UTC)");

        var html = new StringBuilder(plotly.Length + figure.Length + 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(title).Append("</title>\n")
            .Append("<style>body { margin: 0; font-family: sans-serif; background: #fff; }</style>\n")
            .Append("<script>").Append(plotly).Append("</script>\n")
            .Append("</head>\n<body>\n<div id=\"chart\" style=\"width: 100%; height: 780px;\"></div>\n")
            .Append("<script>\nconst figure = ").Append(figure).Append(";\n")
            .Append("Plotly.newPlot('chart', figure.data, figure.layout, figure.config);\n</script>\n")
            .Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Builds the page and writes it to <paramref name="path"/>.</summary>
    public async Task WriteAsync(ExperimentResults results, string path, CancellationToken ct)
    {
        var html = await BuildAsync(results, ct);
        await File.WriteAllTextAsync(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ct);
    }
}
