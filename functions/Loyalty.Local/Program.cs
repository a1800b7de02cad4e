using Loyalty.Api.Endpoints;
using Loyalty.Api.Http;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Hosting;
using Loyalty.Hosting.Receipts;
using Loyalty.Local;
using Loyalty.Local.DevMail;
using Loyalty.Local.Ui;
using Loyalty.Local.Workers;
using Loyalty.Storage.Repositories;
using Microsoft.AspNetCore.Http.Features;

var (seedDemo, configurationArgs) = HostArguments.Split(args);
var builder = WebApplication.CreateBuilder(configurationArgs);

builder.Services.AddLoyaltyTelemetry(builder.Configuration, "loyalty-functions-local");
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = JsonBody.DefaultLimit * 4);
builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = JsonBody.DefaultLimit);
// Problems the host writes itself (no route, wrong method, our own bugs) get our types too.
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context => Problems.Classify(context.ProblemDetails));
// Storage still unavailable after the SDKs' retries: a 503 with Retry-After, not a 500.
builder.Services.AddExceptionHandler<StorageUnavailableHandler>();
builder.Services.AddLoyaltyOpenApi();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddLoyaltyStorage(builder.Configuration).AddLoyaltyApplication(builder.Configuration);
builder.Services.AddLoyaltyApi();
builder.Services.AddSingleton<IJobStarter, LocalJobStarter>();
builder.Services.AddWebPages(builder.Configuration, builder.Environment);

// The background work of the local host (the Functions app has its own triggers for the same jobs).
builder.Services.AddSingleton(provider => new ReceiptPoisonQueue(provider.GetRequiredService<LoyaltyStorage>()));
var receiptWorker = ReceiptWorkerOptions.From(builder.Configuration);
if (receiptWorker.Enabled)
{
    builder.Services.AddHostedService(provider => new ReceiptsQueueWorker(
        provider.GetRequiredService<LoyaltyStorage>(),
        provider.GetRequiredService<IReceiptService>(),
        provider.GetRequiredService<ProgramCache>(),
        provider.GetRequiredService<ReceiptPoisonQueue>(),
        receiptWorker,
        provider.GetRequiredService<ILogger<ReceiptsQueueWorker>>()));
}

MaintenanceWorker.Interval(builder.Configuration); // a bad setting fails here, not at the first tick
builder.Services.AddHostedService<MaintenanceWorker>();
var devMailbox = DevMailboxEndpoints.IsEnabled(builder.Configuration, builder.Environment);
if (devMailbox)
    builder.Services.AddSingleton(new DevMailbox(builder.Configuration.GetValue(DevMailbox.SizeKey, 200)));
if (builder.Configuration.GetValue(NotificationLogWorker.EnabledKey, true))
{
    builder.Services.AddSingleton<NotificationLogWorker>();
    builder.Services.AddHostedService(provider => provider.GetRequiredService<NotificationLogWorker>());
}
AddJobWorker<NightlyReview>(JobWorkerSettings.Nightly);
AddJobWorker<CampaignFanOut>(JobWorkerSettings.Campaigns);

var app = builder.Build();

// A client mistake never reaches these: handlers answer it with a problem. They turn our own bugs and
// unknown routes into problem details too, without leaking exception text.
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCorrelationIds();
app.UseWebPages();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapLoyaltyApi();
if (devMailbox)
    app.MapDevMailbox();

await app.Services.GetRequiredService<LoyaltyStorage>().EnsureCreatedAsync(CancellationToken.None);
if (app.Services.GetRequiredService<MemberAuthOptions>().EphemeralKeys)
    app.Logger.LogWarning("No MemberTokens:SigningKey is configured: member tokens are signed with a random key made at start-up, so they stop working when " +
        "this process stops. Fine on a laptop; set the key anywhere else (docs/privacy.md).");

if (seedDemo)
{
    var keys = await DemoSeeding.RunAsync(app.Services, builder.Configuration, CancellationToken.None);
    app.Lifetime.ApplicationStarted.Register(() => _ = DemoSeeding.PrintWelcomeAsync(app, keys, devMailbox));
}

await app.RunAsync();

// As IHostedService singletons, not AddHostedService: that adds one worker of a type and drops the second.
void AddJobWorker<TJob>(JobWorkerSettings settings) where TJob : ShardedJob
{
    if (!builder.Configuration.GetValue(settings.EnabledKey, true)) return;
    var paced = settings.From(builder.Configuration);
    builder.Services.AddSingleton<IHostedService>(provider => new JobWorker(
        provider.GetRequiredService<TJob>(), paced, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<JobWorker>>()));
}

/// <summary>The entry point, public so the end-to-end tests can host it with WebApplicationFactory.</summary>
public partial class Program;
