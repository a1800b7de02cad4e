// The Azure Functions isolated worker: the same application services as the local host, behind triggers.
// Shape checked against the isolated worker guide (FunctionsApplication.CreateBuilder, ConfigureFunctionsWebApplication,
// Application Insights); see docs/deploy.md.
using Loyalty.Api.Endpoints;
using Loyalty.Functions.Startup;
using Loyalty.Hosting;
using Loyalty.Hosting.Receipts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions get HttpRequest/HttpContext and return IActionResult.
builder.ConfigureFunctionsWebApplication();

// Worker telemetry straight to Application Insights. APPLICATIONINSIGHTS_CONNECTION_STRING names the component and
// APPLICATIONINSIGHTS_AUTHENTICATION_STRING (ClientId=…;Authorization=AAD) makes it sign in with the app's identity.
builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

// The Application Insights SDK adds a filter that keeps only Warning and above; remove it so the logging
// configuration decides (as the isolated worker guide shows).
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var defaultRule = options.Rules.FirstOrDefault(rule =>
        rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (defaultRule is not null)
        options.Rules.Remove(defaultRule);
});

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddLoyaltyBackend(builder.Configuration);
builder.Services.AddLoyaltyApi();
builder.Services.AddSingleton(provider => new ReceiptPoisonQueue(provider.GetRequiredService<LoyaltyBackend>().Storage));

// Creates missing tables, queues and containers in the background, as the local host does at start-up.
builder.Services.AddHostedService<StorageStartup>();

builder.Build().Run();
