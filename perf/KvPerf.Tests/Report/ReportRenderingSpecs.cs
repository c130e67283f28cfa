using KvPerf.Report;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Report;

/// <summary>
/// The report as a person sees it: the program's real HTML, opened in Debian's headless Chromium
/// over the DevTools protocol. Needs /usr/bin/chromium, which perf/ensure-report-tools.sh
/// installs; without it these specs fail, they do not skip.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ReportRenderingSpecs
{
    [Fact]
    public async Task Report_renders_in_headless_chromium_with_every_trace_and_no_script_error()
    {
        // Arrange: two ack modes × (latency: p95 edge, p50 band, mean; beyond the injected delay:
        // p99 edge, p50 band, mean; lag bars) + the expected curve.
        using var temp = new TempDirectory();
        var results = GeneratedResults.Create();
        var html = temp.File("quorum-latency.html");
        var png = temp.File("quorum-latency.png");
        await File.WriteAllTextAsync(html, ExperimentChart.ToHtml(results));

        // Act
        var check = await new ChromiumRenderer().RenderAsync(html, png, CancellationToken.None);

        // Assert
        check.PageErrors.Should().BeEmpty();
        check.MainSvgCount.Should().BeGreaterThan(0, "Plotly draws into .main-svg");
        check.DataTraceCount.Should().Be(15);
        check.RenderedTraceCount.Should().Be(15);
        check.Rendered.Should().BeTrue();
    }

    [Fact]
    public async Task Report_png_is_a_real_picture_of_the_chart()
    {
        using var temp = new TempDirectory();
        var html = temp.File("report.html");
        var png = temp.File("report.png");
        await File.WriteAllTextAsync(html, ExperimentChart.ToHtml(GeneratedResults.Create(seed: 7)));

        await new ChromiumRenderer().RenderAsync(html, png, CancellationToken.None);

        var bytes = await File.ReadAllBytesAsync(png);
        bytes.Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        ((bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19]).Should().Be(ChromiumRenderer.Width, "the IHDR width");
        ((bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23]).Should().Be(ChromiumRenderer.Height, "the IHDR height");
        bytes.Length.Should().BeGreaterThan(30_000, "a blank page compresses to a few kB, a drawn chart does not");
    }

    [Fact]
    public async Task Report_of_one_ack_mode_draws_seven_traces_plus_the_expected_curve()
    {
        using var temp = new TempDirectory();
        var html = temp.File("one-mode.html");
        await File.WriteAllTextAsync(html, ExperimentChart.ToHtml(GeneratedResults.Create(seed: 11, "received")));

        var check = await new ChromiumRenderer().RenderAsync(html, null, CancellationToken.None);

        check.PageErrors.Should().BeEmpty();
        check.RenderedTraceCount.Should().Be(8);
    }

    [Fact]
    public async Task Report_of_results_without_injected_delays_draws_the_latency_and_lag_rows_only()
    {
        // Results measured before the leader named its delays (an older quorum-latency.json).
        using var temp = new TempDirectory();
        var html = temp.File("older.html");
        await File.WriteAllTextAsync(html, ExperimentChart.ToHtml(GeneratedResults.Create(seed: 5, withInjectedDelays: false)));

        var check = await new ChromiumRenderer().RenderAsync(html, null, CancellationToken.None);

        check.PageErrors.Should().BeEmpty();
        check.RenderedTraceCount.Should().Be(9, "two ack modes × (p95 edge, p50 band, mean, lag bars) + the expected curve");
    }

    [Fact]
    public async Task Render_check_reports_a_script_error_and_no_chart_on_a_broken_page()
    {
        // The check itself must be able to fail: a page whose script throws draws nothing.
        using var temp = new TempDirectory();
        var html = temp.File("broken.html");
        await File.WriteAllTextAsync(html, "<!DOCTYPE html><html><body><div id=\"chart\"></div><script>Plotly.newPlot('chart', []);</script></body></html>");

        var check = await new ChromiumRenderer().RenderAsync(html, null, CancellationToken.None);

        check.Rendered.Should().BeFalse();
        check.PageErrors.Should().ContainSingle().Which.Should().Contain("Plotly");
        check.MainSvgCount.Should().Be(0);
    }

    [Fact]
    public async Task Render_check_hears_console_errors()
    {
        using var temp = new TempDirectory();
        var html = temp.File("console.html");
        await File.WriteAllTextAsync(html, "<!DOCTYPE html><html><body><script>console.error('quorum', 3);</script></body></html>");

        var check = await new ChromiumRenderer().RenderAsync(html, null, CancellationToken.None);

        check.ConsoleErrors.Should().Equal("quorum 3");
        check.PageErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task Renderer_without_a_browser_says_so_instead_of_reporting_a_blank_page()
    {
        using var temp = new TempDirectory();
        var html = temp.File("any.html");
        await File.WriteAllTextAsync(html, "<!DOCTYPE html><html><body></body></html>");

        var act = () => new ChromiumRenderer(temp.File("no-such-chromium")).RenderAsync(html, null, CancellationToken.None);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*no-such-chromium*");
    }
}
