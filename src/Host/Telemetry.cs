using BuildingBlocks.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Host;

/// <summary>
/// OpenTelemetry: the service's metrics (ServiceMetrics) and ASP.NET Core's, scraped by Prometheus at
/// <c>/metrics</c> and sent to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; traces of
/// HTTP requests, Wolverine and Marten go to that collector.
/// </summary>
public static class Telemetry
{
    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("envycrm-uis"))
            .WithMetrics(metrics =>
            {
                // System.Runtime: the garbage collector, thread pool and JIT, as the runtime itself counts them.
                metrics.AddMeter(ServiceMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
                    .AddView("envycrm.routing.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 300] })
                    .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp) metrics.AddOtlpExporter();
            })
            // Traces only where they go somewhere: an unexported trace still costs every request its activities.
            .WithTracing(tracing =>
            {
                if (otlp) tracing.AddAspNetCoreInstrumentation().AddSource("Wolverine", "Marten").AddOtlpExporter();
            });
    }

    public static void MapTelemetry(this WebApplication app) => app.MapPrometheusScrapingEndpoint("/metrics");
}
