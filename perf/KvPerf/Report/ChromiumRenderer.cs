using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KvPerf.Report;

/// <summary>
/// Opens an HTML report in Debian's headless Chromium and drives it over the DevTools protocol
/// (<see cref="DevToolsConnection"/>): it records every uncaught script error, waits for Plotly's
/// <c>.main-svg</c> (a fixed sleep would either waste time or race the drawing), counts what was
/// drawn, and takes the screenshot. The picture in the README and the report test's verdict come
/// from this one path.
/// </summary>
public sealed partial class ChromiumRenderer
{
    /// <summary>The viewport and PNG width in CSS pixels: the charts' 1200 px.</summary>
    public const int Width = 1200;

    /// <summary>The viewport and PNG height in CSS pixels: the experiment chart's height.</summary>
    public const int Height = ExperimentChart.Height;

    // Flags that work as root in a container with no GPU and no network but the registries'.
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--remote-debugging-port=0",
    ];

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
        var profile = Directory.CreateTempSubdirectory("kvperf-chromium-");
        using var browser = new Process { StartInfo = StartInfo(profile.FullName) };
        try
        {
            var endpoint = await StartAsync(browser, bound.Token);
            return await CheckAsync(endpoint, Path.GetFullPath(htmlPath), pngPath, bound.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Chromium did not render {htmlPath} within {Bound.TotalSeconds} s.");
        }
        finally
        {
            Stop(browser);
            DeleteProfile(profile);
        }
    }

    private ProcessStartInfo StartInfo(string profile)
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var flag in Flags)
        {
            start.ArgumentList.Add(flag);
        }

        start.ArgumentList.Add($"--user-data-dir={profile}");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--window-size={Width},{Height}"));
        start.ArgumentList.Add("about:blank");
        return start;
    }

    // Starts Chromium and returns the DevTools WebSocket of its page, which it prints on stderr.
    private static async Task<Uri> StartAsync(Process browser, CancellationToken ct)
    {
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new ConcurrentQueue<string>();
        browser.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException(
                    $"Chromium exited before it listened for DevTools: {string.Join(" | ", log.TakeLast(5))}"));
                return;
            }

            log.Enqueue(e.Data);
            if (DevToolsListening().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        browser.OutputDataReceived += (_, _) => { };
        try
        {
            browser.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Could not start {browser.StartInfo.FileName} ({ex.Message}); perf/ensure-report-tools.sh installs Debian's chromium.", ex);
        }

        // Both pipes are drained for the browser's life: a full pipe would block it.
        browser.BeginErrorReadLine();
        browser.BeginOutputReadLine();
        var browserEndpoint = await listening.Task.WaitAsync(ct);

        // The browser's endpoint names the port; the page opened at start is listed there.
        using var http = new HttpClient();
        var targets = await http.GetFromJsonAsync<JsonElement>(
            new Uri($"http://{browserEndpoint.Authority}/json/list"), ct);
        foreach (var target in targets.EnumerateArray())
        {
            if (target.GetProperty("type").GetString() == "page")
            {
                return new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!);
            }
        }

        throw new InvalidOperationException("Chromium listed no page to drive.");
    }

    private static async Task<RenderCheck> CheckAsync(Uri endpoint, string htmlPath, string? pngPath, CancellationToken ct)
    {
        var pageErrors = new ConcurrentQueue<string>();
        var consoleErrors = new ConcurrentQueue<string>();
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var page = await DevToolsConnection.ConnectAsync(endpoint, (method, parameters) =>
        {
            switch (method)
            {
                case "Runtime.exceptionThrown":
                    pageErrors.Enqueue(Describe(parameters.GetProperty("exceptionDetails")));
                    break;
                case "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() == "error":
                    consoleErrors.Enqueue(string.Join(' ', parameters.GetProperty("args").EnumerateArray().Select(Describe)));
                    break;
                case "Page.loadEventFired":
                    loaded.TrySetResult();
                    break;
            }
        }, ct);

        await page.SendAsync("Page.enable", null, ct);
        await page.SendAsync("Runtime.enable", null, ct);
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new { width = Width, height = Height, deviceScaleFactor = 1, mobile = false }, ct);
        var navigation = await page.SendAsync("Page.navigate", new { url = new Uri(htmlPath).AbsoluteUri }, ct);
        if (navigation.TryGetProperty("errorText", out var navigationError))
        {
            throw new InvalidOperationException($"Chromium could not open {htmlPath}: {navigationError.GetString()}");
        }

        await loaded.Task.WaitAsync(ct);

        // Plotly draws after the load event; .main-svg is its root SVG once a figure is drawn. A
        // script error ends the wait at once: that page has already failed the check.
        var drawing = Stopwatch.StartNew();
        while (pageErrors.IsEmpty && drawing.Elapsed < DrawingBound
            && (await EvaluateAsync(page, "document.querySelectorAll('.main-svg').length", ct)).GetInt32() == 0)
        {
            await Task.Delay(50, ct);
        }

        // Let Plotly finish the drawing it started in the same task (traces after the root SVG).
        await EvaluateAsync(page, "new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 100)))", ct);
        var counts = await EvaluateAsync(page, """
            (() => {
                const plot = document.querySelector('.js-plotly-plot');
                return {
                    mainSvgCount: document.querySelectorAll('.main-svg').length,
                    renderedTraceCount: document.querySelectorAll('.main-svg g.trace').length,
                    dataTraceCount: plot && Array.isArray(plot.data) ? plot.data.length : 0,
                };
            })()
            """, ct);
        if (pngPath is not null)
        {
            var screenshot = await page.SendAsync("Page.captureScreenshot", new { format = "png" }, ct);
            await File.WriteAllBytesAsync(pngPath, Convert.FromBase64String(screenshot.GetProperty("data").GetString()!), ct);
        }

        return new RenderCheck(
            [.. pageErrors],
            [.. consoleErrors],
            counts.GetProperty("mainSvgCount").GetInt32(),
            counts.GetProperty("renderedTraceCount").GetInt32(),
            counts.GetProperty("dataTraceCount").GetInt32());
    }

    // Runs a script in the page (awaiting it if it is a promise) and returns its value as JSON.
    private static async Task<JsonElement> EvaluateAsync(DevToolsConnection page, string expression, CancellationToken ct)
    {
        var evaluation = await page.SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true }, ct);
        if (evaluation.TryGetProperty("exceptionDetails", out var failure))
        {
            throw new InvalidOperationException($"The report check's own script failed: {Describe(failure)}");
        }

        return evaluation.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    // An exception's first line ("ReferenceError: Plotly is not defined"), else the protocol's text.
    private static string Describe(JsonElement details) =>
        details.TryGetProperty("exception", out var exception) && exception.TryGetProperty("description", out var description)
            ? description.GetString()!.Split('\n')[0]
            : details.TryGetProperty("value", out var value) ? value.ToString()
            : details.TryGetProperty("description", out var text) || details.TryGetProperty("text", out text) ? text.GetString() ?? ""
            : details.ToString();

    private static void Stop(Process browser)
    {
        try
        {
            if (!browser.HasExited)
            {
                browser.Kill(entireProcessTree: true);
                browser.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started: nothing to stop.
        }
    }

    private static void DeleteProfile(DirectoryInfo profile)
    {
        try
        {
            profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A browser process still closing a file: a stray folder in /tmp must not hide the check's result.
        }
    }

    [GeneratedRegex(@"DevTools listening on (?<url>ws://\S+)")]
    private static partial Regex DevToolsListening();
}
