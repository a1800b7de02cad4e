using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Loyalty.Hosting;

/// <summary>
/// OpenTelemetry for both hosts. The exporter is chosen by configuration (<c>Telemetry:Exporter</c>:
/// <c>none</c>, <c>console</c> or <c>otlp</c>; the OTLP endpoint comes from the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), so a laptop is quiet by default and a collector is one setting away.
/// The Functions app adds the worker's own instrumentation to the builder this returns.
/// </summary>
public static class LoyaltyTelemetry
{
    public const string SourceName = "Loyalty";
    public const string ExporterKey = "Telemetry:Exporter";

    public static OpenTelemetryBuilder AddLoyaltyTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var exporter = configuration[ExporterKey]?.ToLowerInvariant() ?? "none";
        if (exporter is not ("none" or "console" or "otlp"))
            throw new InvalidOperationException($"{ExporterKey} must be none, console or otlp, not '{exporter}'.");

        return services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t =>
            {
                t.AddSource(SourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (exporter == "console") t.AddConsoleExporter();
                if (exporter == "otlp") t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddMeter(SourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (exporter == "console") m.AddConsoleExporter();
                if (exporter == "otlp") m.AddOtlpExporter();
            });
    }
}
