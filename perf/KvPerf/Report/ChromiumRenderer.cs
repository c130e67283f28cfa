using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Playwright;

namespace KvPerf.Report;

/// <summary>
/// Opens an HTML report in Debian's headless Chromium, driven by Playwright: it records every
/// uncaught script error and console error, waits for Plotly's <c>.main-svg</c> (a fixed sleep
/// would either waste time or race the drawing), counts what was drawn, and takes the screenshot.
/// The picture in the README and the report test's verdict come from this one path.
/// </summary>
/// <remarks>
/// Playwright's Node driver comes in its NuGet package and is copied to <c>bin/.playwright</c> at
/// build; it starts offline. Playwright is never asked for a browser of its own: it launches the
/// executable given here, so there is nothing to install or download.
/// </remarks>
public sealed class ChromiumRenderer
{
    /// <summary>The viewport and PNG width in CSS pixels: the charts' 1200 px.</summary>
    public const int Width = 1200;

    /// <summary>The viewport and PNG height in CSS pixels: the experiment chart's height.</summary>
    public const int Height = ExperimentChart.Height;

    // Playwright already passes the headless flags it needs (hidden scrollbars, no sync, no
    // component updates, no background networking); these are what a root container with no GPU
    // and no network but the registries' needs on top. The sandbox cannot start as root.
    private static readonly string[] Flags = ["--no-sandbox", "--disable-gpu", "--disable-quic"];

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan DrawingBound = TimeSpan.FromSeconds(15);

    private readonly string _executable;

    /// <summary>
    /// Creates a renderer that runs <paramref name="executable"/>; by default <c>$CHROMIUM_PATH</c>,
    /// else Debian's <c>/usr/bin/chromium</c>.
    /// </summary>
    public ChromiumRenderer(string? executable = null)
    {
        _executable = executable ?? Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
    }

    /// <summary>
    /// Opens <paramref name="htmlPath"/>, checks it, and saves a PNG of the viewport to
    /// <paramref name="pngPath"/> unless it is <see langword="null"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Chromium could not be driven (not installed, crashed, too slow).</exception>
    public async Task<RenderCheck> RenderAsync(string htmlPath, string? pngPath, CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(Bound);
        using var playwright = await StartDriverAsync();
        try
        {
            // Leaving this block closes the browser, which fails whatever a check abandoned at the
            // bound still waits for; disposing the driver then takes down a launch abandoned midway.
            await using var browser = await LaunchAsync(playwright).WaitAsync(bound.Token);
            return await CheckAsync(browser, Path.GetFullPath(htmlPath), pngPath).WaitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Chromium did not render {htmlPath} within {Bound.TotalSeconds} s.");
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException($"Chromium could not render {htmlPath}: {FirstLine(ex.Message)}", ex);
        }
    }

    private static async Task<IPlaywright> StartDriverAsync()
    {
        try
        {
            return await Playwright.CreateAsync();
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException(
                $"Playwright's driver did not start ({FirstLine(ex.Message)}); the build copies it to bin/.playwright.", ex);
        }
    }

    private async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        try
        {
            return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _executable,
                Headless = true,
                Args = Flags,
                Timeout = (float)Bound.TotalMilliseconds,
            });
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException(
                $"Could not start {_executable} ({FirstLine(ex.Message)}); perf/ensure-report-tools.sh installs Debian's chromium.", ex);
        }
    }

    private static async Task<RenderCheck> CheckAsync(IBrowser browser, string htmlPath, string? pngPath)
    {
        // One CSS pixel per device pixel, so the screenshot is exactly Width × Height.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
            DeviceScaleFactor = 1,
        });
        var page = await context.NewPageAsync();

        // Playwright raises events on its own dispatch thread while this method awaits.
        var pageErrors = new ConcurrentQueue<string>();
        var consoleErrors = new ConcurrentQueue<string>();
        page.PageError += (_, error) => pageErrors.Enqueue(FirstLine(error));
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Enqueue(message.Text);
            }
        };

        // Returns after the load event (Playwright's default); a page whose script throws still loads.
        await page.GotoAsync(new Uri(htmlPath).AbsoluteUri);

        // Plotly draws after the load event; .main-svg is its root SVG once a figure is drawn. A
        // script error ends the wait at once: that page has already failed the check.
        var mainSvg = page.Locator(".main-svg");
        var drawing = Stopwatch.StartNew();
        while (pageErrors.IsEmpty && drawing.Elapsed < DrawingBound && await mainSvg.CountAsync() == 0)
        {
            await Task.Delay(50);
        }

        // Let Plotly finish the drawing it started in the same task (traces after the root SVG).
        await page.EvaluateAsync("() => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 100)))");
        var mainSvgCount = await mainSvg.CountAsync();
        var renderedTraceCount = await page.Locator(".main-svg g.trace").CountAsync();
        var dataTraceCount = await page.EvaluateAsync<int>("""
            () => {
                const plot = document.querySelector('.js-plotly-plot');
                return plot && Array.isArray(plot.data) ? plot.data.length : 0;
            }
            """);
        if (pngPath is not null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = pngPath, Type = ScreenshotType.Png });
        }

        return new RenderCheck([.. pageErrors], [.. consoleErrors], mainSvgCount, renderedTraceCount, dataTraceCount);
    }

    // An error's first line ("ReferenceError: Plotly is not defined"), without its stack or the
    // driver's call log.
    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
