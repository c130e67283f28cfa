using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace KvHost.Metrics;

/// <summary>
/// Wires <see cref="KvMetrics"/> to OpenTelemetry's Prometheus exporter: <c>GET /metrics</c> answers the
/// Prometheus text format (or OpenMetrics, when the scraper asks for it), mapped in every environment
/// like <c>/health</c>.
/// </summary>
/// <remarks>
/// The exporter listens through <see cref="IMetricsBuilder"/> rules for the local scope only, that
/// is for meters made by this host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>. Its own name-based subscription
/// (<c>AddMeter</c>) would also pick up every other node's meter of the same name in the process.
/// </remarks>
public static class MetricsHosting
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string Path = "/metrics";

    /// <summary>Registers <see cref="KvMetrics"/> and the exporter.</summary>
    /// <param name="builder">The node's application builder.</param>
    /// <param name="nodeId">This node's name, exported as the resource's <c>service.instance.id</c> (in <c>target_info</c>).</param>
    /// <returns>The same builder.</returns>
    public static WebApplicationBuilder AddKvMetrics(this WebApplicationBuilder builder, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<KvMetrics>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("kvstore", serviceInstanceId: nodeId))

            // No response cache: a scrape right after a write must see it (the exporter caches 300 ms by default).
            .WithMetrics(metrics => metrics.AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Metrics.EnableMetrics(KvMetrics.MeterName, instrumentName: null, listenerName: null, MeterScope.Local);
        return builder;
    }

    /// <summary>Maps <c>GET /metrics</c> and creates the instruments, so that the first scrape already lists them.</summary>
    /// <param name="app">The node's application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapKvMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<KvMetrics>();
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}
