using ControlPlane.Grains.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ControlPlane.Silo;

/// <summary>
/// Traces, metrics and logs through OpenTelemetry. Export over OTLP switches on when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set (OTEL_SERVICE_NAME names the service, default "controlplane");
/// each silo identifies itself by its name and ops centre. Every API call is traced; of the platform's own
/// background work, a share (<see cref="ApiTraceSampler"/>). Metrics are also served for Prometheus to scrape at
/// <see cref="MetricsPath"/> on the health port.
/// </summary>
public static class Telemetry
{
    public const string OpsCentreAttribute = "controlplane.ops_centre";

    /// <summary>The Prometheus scrape endpoint, on the health port.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Orleans' gauge of its grain-directory cache counts the cache by walking a dictionary created for a million
    /// entries, whatever it holds: 50 to 80 ms of CPU per collection (each OTLP export, each scrape), idle or not.
    /// </summary>
    public const string DroppedDirectoryCacheGauge = "orleans-directory-cache-size";

    private static readonly string[] TracedSources = [ControlPlaneTelemetry.Name, "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage"];

    public static void AddControlPlaneTelemetry(this WebApplicationBuilder builder, SiloHostOptions options)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "controlplane";
        var instance = options.SiloName.Length > 0 ? options.SiloName : $"{Environment.MachineName}:{options.SiloPort}";

        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Logging.AddOpenTelemetry(o => (o.IncludeScopes, o.IncludeFormattedMessage) = (true, true));

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(serviceName, serviceInstanceId: instance)
                .AddAttributes([new(OpsCentreAttribute, options.OpsCentre), new("controlplane.mode", options.Mode)]))
            .WithTracing(t => t
                .SetSampler(new ApiTraceSampler(options.BackgroundTraceRatio))
                .AddSource(TracedSources)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health")
                    && !http.Request.Path.StartsWithSegments(MetricsPath)
                    && !http.Request.Path.StartsWithSegments("/alive") && !http.Request.Path.StartsWithSegments("/grpc.health.v1.Health")))
            .WithMetrics(m => m
                .AddMeter(ControlPlaneTelemetry.Name, "Microsoft.Orleans")
                .AddView(DroppedDirectoryCacheGauge, MetricStreamConfiguration.Drop)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
    }
}
