using KvPerf.Report;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Bench;

/// <summary>
/// The benchmark's chart as a person sees it: the real page opened in Debian's headless Chromium
/// (perf/ensure-report-tools.sh installs it); without it this spec fails, it does not skip.
/// </summary>
[Trait("Category", "Browser")]
public sealed class BenchChartRenderingSpecs
{
    [Fact]
    public async Task Chart_renders_offline_with_writes_and_latency_bars_per_system_and_no_script_error()
    {
        // Arrange
        using var temp = new TempDirectory();
        var html = temp.File("bench.html");
        await BenchChart.WriteAsync(GeneratedBenchResults.Create(), html, CancellationToken.None);

        // Act
        var check = await new ChromiumRenderer().RenderAsync(html, null, CancellationToken.None);

        // Assert
        check.PageErrors.Should().BeEmpty();
        check.MainSvgCount.Should().BeGreaterThan(0);
        check.DataTraceCount.Should().Be(10, "five systems, in the writes/s row and the p50 row");
        check.RenderedTraceCount.Should().Be(10);
    }
}
