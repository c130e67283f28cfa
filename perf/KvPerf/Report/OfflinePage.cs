using Microsoft.FSharp.Core;
using Plotly.NET;

namespace KvPerf.Report;

/// <summary>
/// A Plotly.NET chart as a whole HTML page that opens without a network: the plotly.js that
/// Plotly.NET ships (2.28) is inlined rather than loaded from a CDN, which the machines cannot reach.
/// </summary>
public static class OfflinePage
{
    /// <summary>The page of <paramref name="chart"/>, titled <paramref name="title"/>.</summary>
    public static string ToHtml(GenericChart chart, string title)
    {
        var display = DisplayOptions.init(
            DocumentTitle: FSharpOption<string>.Some(title),
            DocumentCharset: null,
            DocumentDescription: null,
            DocumentFavicon: null,
            AdditionalHeadTags: null,
            ChartDescription: null,
            PlotlyJSReference: FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.Full));
        return GenericChart.toEmbeddedHTML(Plotly.NET.Chart.withDisplayOptions(display).Invoke(chart));
    }
}
