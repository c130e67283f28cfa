using System.Diagnostics;
using System.Text.Json;

namespace KvPerf.Report;

/// <summary>
/// Opens an HTML report in Debian's headless Chromium through <c>perf/render.mjs</c>
/// (playwright-core), which waits for Plotly's <c>.main-svg</c> before it checks the page and
/// takes the screenshot: a fixed sleep would either waste time or race the drawing.
/// </summary>
public sealed class ChromiumRenderer
{
    /// <summary>The PNG's width in CSS pixels: the charts' 1200 px.</summary>
    public const int Width = 1200;

    /// <summary>The PNG's height in CSS pixels: the experiment chart's height.</summary>
    public const int Height = ExperimentChart.Height;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly string _renderScript;

    /// <summary>Creates a renderer that runs <paramref name="renderScript"/> with node.</summary>
    public ChromiumRenderer(string renderScript)
    {
        _renderScript = renderScript;
    }

    /// <summary>
    /// Opens <paramref name="htmlPath"/>, checks it, and saves a PNG to <paramref name="pngPath"/>
    /// unless it is <see langword="null"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Chromium could not be driven (not installed, crashed).</exception>
    public async Task<RenderCheck> RenderAsync(string htmlPath, string? pngPath, CancellationToken ct)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_renderScript);
        start.ArgumentList.Add(htmlPath);
        if (pngPath is not null)
        {
            start.ArgumentList.Add(pngPath);
        }

        start.ArgumentList.Add("--width");
        start.ArgumentList.Add(Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--height");
        start.ArgumentList.Add(Height.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("Could not start node for perf/render.mjs.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"perf/render.mjs did not finish within {Bound.TotalSeconds} s.");
        }

        var output = (await stdout).Trim();
        var errors = (await stderr).Trim();
        if (process.ExitCode == 2 || output.Length == 0)
        {
            throw new InvalidOperationException(
                $"perf/render.mjs could not drive Chromium (exit {process.ExitCode}): {errors}");
        }

        return JsonSerializer.Deserialize<RenderCheck>(output, Json)
            ?? throw new InvalidDataException($"perf/render.mjs printed no result: {output}");
    }
}
