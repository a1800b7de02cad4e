using Loyalty.Api.Endpoints;
using Loyalty.Functions.Http;
using Loyalty.Functions.Startup;
using Loyalty.Hosting;
using Loyalty.Hosting.Receipts;
using Loyalty.Storage.Repositories;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions;

/// <summary>
/// The worker's wiring, apart from Program.cs so the tests build the very container the app starts with (from the
/// app settings infra/main.bicep gives the Function App) and call the functions out of it.
/// Built the way the isolated worker model expects (FunctionsApplication.CreateBuilder, ConfigureFunctionsWebApplication,
/// UseMiddleware, Application Insights, OpenTelemetry); see docs/deploy.md.
/// </summary>
public static class FunctionsApp
{
    public const string ServiceName = "loyalty-functions";

    public static FunctionsApplicationBuilder Configure(FunctionsApplicationBuilder builder)
    {
        // ASP.NET Core integration: HTTP functions get HttpRequest/HttpContext and return IActionResult.
        builder.ConfigureFunctionsWebApplication();
        // Registered after the integration's own middleware, so it runs inside it and sees the HttpContext.
        builder.UseMiddleware<HttpProblemsMiddleware>();

        // Worker telemetry straight to Application Insights. APPLICATIONINSIGHTS_CONNECTION_STRING names the component and
        // APPLICATIONINSIGHTS_AUTHENTICATION_STRING (ClientId=…;Authorization=AAD) makes it sign in with the app's identity.
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();

        // The Application Insights SDK adds a filter that keeps only Warning and above; remove it so the logging
        // configuration decides.
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var defaultRule = options.Rules.FirstOrDefault(rule =>
                rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
            if (defaultRule is not null)
                options.Rules.Remove(defaultRule);
        });

        // The local host's OpenTelemetry (our source and meter, Telemetry:Exporter), plus the worker's invocation spans.
        builder.Services.AddLoyaltyTelemetry(builder.Configuration, ServiceName).UseFunctionsWorkerDefaults();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddLoyaltyStorage(builder.Configuration).AddLoyaltyApplication(builder.Configuration);
        builder.Services.AddLoyaltyApi();
        builder.Services.AddSingleton(provider => new ReceiptPoisonQueue(provider.GetRequiredService<LoyaltyStorage>()));

        // Creates missing tables, queues and containers in the background, as the local host does at start-up.
        builder.Services.AddHostedService<StorageStartup>();
        return builder;
    }
}
