using Loyalty.Core.Application;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Application.Statistics;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Hosting;

/// <summary>
/// The application services over storage as configured (<see cref="StorageSettings"/>), for every host: the local
/// host and the Functions app register it with <see cref="AddLoyaltyBackend"/>, the CLI creates one directly.
/// <c>Storage:Prefix</c> gives side-by-side environments (and tests) their own tables, queues and containers.
/// </summary>
public sealed class LoyaltyBackend
{
    private readonly LoyaltyStorage storage;

    private LoyaltyBackend(LoyaltyStorage storage, TimeProvider time, NightlySchedule? schedule = null, MemberAuthOptions? memberAuth = null)
    {
        this.storage = storage;
        var services = storage.CreateServices(time, schedule, memberAuth);
        EphemeralSigningKey = memberAuth?.EphemeralKeys ?? true;
        MemberAuth = services.MemberAuth;
        Privacy = services.Privacy;
        SelfService = services.SelfService;
        Members = services.Members;
        Programs = services.Programs;
        ApiKeys = services.ApiKeys;
        Receipts = services.Receipts;
        Outbox = services.Outbox;
        Nightly = services.Nightly;
        Campaigns = services.Campaigns;
        CampaignScheduler = services.CampaignScheduler;
        Demo = services.Demo;
        Restarts = services.Restarts;
        Figures = services.Figures;
    }

    public IMemberService Members { get; }
    public IProgramService Programs { get; }
    public IApiKeyService ApiKeys { get; }
    public IReceiptService Receipts { get; }
    public OutboxSweep Outbox { get; }

    /// <summary>The nightly tier evaluation: <c>RunDueAsync</c> from a background service, or its plan/shard/complete steps as Durable activities.</summary>
    public NightlyReview Nightly { get; }

    public ICampaignService Campaigns { get; }

    /// <summary>Starts campaign runs at their time: <c>RunDueAsync</c> from a background service, or its fan-out's steps as Durable activities.</summary>
    public CampaignScheduler CampaignScheduler { get; }

    public DemoData Demo { get; }

    /// <summary>How often a Durable host's timers start a failing run again.</summary>
    public JobRestarts Restarts { get; }

    /// <summary>The program's dashboard figures, as of the last night counted.</summary>
    public FiguresService Figures { get; }

    /// <summary>One-time codes and member tokens.</summary>
    public IMemberAuthService MemberAuth { get; }

    /// <summary>The program My pages signs members in to without a key, if the deployment names one.</summary>
    public MemberPages Pages { get; private init; } = new(null);

    /// <summary>True when no <c>MemberTokens:SigningKey</c> is configured: member tokens die with this process (<see cref="MemberAuthSettings"/>).</summary>
    public bool EphemeralSigningKey { get; }

    /// <summary>GDPR export and erasure, and the audit trail.</summary>
    public IPrivacyService Privacy { get; }

    public ISelfService SelfService { get; }

    /// <summary>The storage behind the services, for hosts that read its queues (the local receipts worker).</summary>
    public LoyaltyStorage Storage => storage;

    public static LoyaltyBackend Create(IConfiguration configuration, TimeProvider time)
    {
        var prefix = configuration[$"{StorageSettings.Section}:Prefix"];
        var names = string.IsNullOrEmpty(prefix) ? LoyaltyResources.Default : LoyaltyResources.WithPrefix(prefix);
        return new LoyaltyBackend(LoyaltyStorage.Create(StorageSettings.Account(configuration), names), time, NightlySettings.Schedule(configuration),
            MemberAuthSettings.Options(configuration))
        {
            Pages = MemberAuthSettings.Pages(configuration),
        };
    }

    /// <summary>
    /// The catch-up jobs both hosts run on a timer: deliver notifications a crash or a queue outage left in member
    /// outboxes, then apply parked receipts whose identifier has been enrolled since (an enrolment that crashed
    /// before replaying them itself). Both are idempotent, so an overlapping or repeated run is harmless. Expired
    /// one-time codes and rate counters are swept on the way: bookkeeping, not worth reporting.
    /// </summary>
    public async Task<(int Delivered, int Replayed)> CatchUpAsync(CancellationToken cancellationToken)
    {
        var delivered = await Outbox.RunAsync(cancellationToken);
        var replayed = 0;
        foreach (var programId in await storage.Ports.Programs.ListIdsAsync(cancellationToken))
            replayed += await Receipts.ReplayParkedAsync(programId, cancellationToken);
        await MemberAuth.SweepAsync(cancellationToken);
        return (delivered, replayed);
    }

    /// <summary>Creates missing tables; hosts call it once at start-up.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);
}

public static class LoyaltyBackendRegistration
{
    public static IServiceCollection AddLoyaltyBackend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(provider => LoyaltyBackend.Create(configuration, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Members);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Programs);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().ApiKeys);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Receipts);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Outbox);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Nightly);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Campaigns);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().CampaignScheduler);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().CampaignScheduler.FanOut);
        // Every sharded job, for the hosts that run any of them by its runs' keys.
        services.AddSingleton<ShardedJob>(provider => provider.GetRequiredService<LoyaltyBackend>().Nightly);
        services.AddSingleton<ShardedJob>(provider => provider.GetRequiredService<LoyaltyBackend>().CampaignScheduler.FanOut);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Demo);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Restarts);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().MemberAuth);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Pages);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Privacy);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().SelfService);
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Figures);
        return services;
    }
}
