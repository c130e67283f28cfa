namespace KvPerf.Report;

/// <summary>
/// What headless Chromium saw when it opened the report (<see cref="ChromiumRenderer"/>).
/// </summary>
/// <param name="PageErrors">Uncaught script errors: any one means the chart may be wrong or blank.</param>
/// <param name="ConsoleErrors">console.error messages.</param>
/// <param name="MainSvgCount">Plotly's root SVGs (<c>.main-svg</c>); 0 means nothing was drawn.</param>
/// <param name="RenderedTraceCount">Traces drawn in the SVG (<c>g.trace</c>).</param>
/// <param name="DataTraceCount">Traces in the plot's data, as Plotly holds them.</param>
public sealed record RenderCheck(
    IReadOnlyList<string> PageErrors,
    IReadOnlyList<string> ConsoleErrors,
    int MainSvgCount,
    int RenderedTraceCount,
    int DataTraceCount)
{
    /// <summary>No script error and a drawn chart.</summary>
    public bool Rendered => PageErrors.Count == 0 && MainSvgCount > 0;
}
