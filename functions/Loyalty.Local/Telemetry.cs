using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Loyalty.Local;

/// <summary>
/// OpenTelemetry for the local host. The exporter is chosen by configuration (<c>Telemetry:Exporter</c>:
/// <c>none</c>, <c>console</c> or <c>otlp</c>; the OTLP endpoint comes from the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), so a laptop is quiet by default and a collector is one setting away.
/// </summary>
internal static class Telemetry
{
    public const string SourceName = "Loyalty";

    public static void AddLoyaltyTelemetry(this WebApplicationBuilder builder)
    {
        var exporter = builder.Configuration["Telemetry:Exporter"]?.ToLowerInvariant() ?? "none";
        if (exporter is not ("none" or "console" or "otlp"))
            throw new InvalidOperationException($"Telemetry:Exporter must be none, console or otlp, not '{exporter}'.");

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("loyalty-functions-local"))
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
