using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Application.Statistics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Loyalty.Core.Application;

/// <summary>
/// The application services, registered over the storage ports a host registers first (<c>AddLoyaltyStorage</c>). Every
/// service is a singleton built by its constructor, so a new one takes one line here. They share one
/// <see cref="ProgramCache"/>, and hosts and tests build them this one way.
/// </summary>
public static class LoyaltyApplication
{
    /// <remarks>
    /// <see cref="TimeProvider"/>, <see cref="NightlySchedule"/>, <see cref="MemberAuthOptions"/> and <see cref="MemberPages"/>
    /// default to the system clock, 02:00 local time, a random signing key (tests, a laptop) and no key-less sign-in; a registration of the host's own,
    /// before or after this call, wins.
    /// </remarks>
    public static IServiceCollection AddLoyaltyApplication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(NightlySchedule.Default);
        services.TryAddSingleton(_ => MemberAuthOptions.Development());
        services.TryAddSingleton(new MemberPages(null));
        services.AddSingleton(provider => new Continuations(provider.GetRequiredService<MemberAuthOptions>().Keys.Derive("continuations")));

        services.AddSingleton<ProgramCache>();
        services.AddSingleton<IdentityClaims>();
        services.AddSingleton<MemberCommits>();
        services.AddSingleton<CampaignResponses>();

        services.AddService<IReceiptService, ReceiptService>();
        services.AddService<IMemberService, MemberService>();
        services.AddService<IProgramService, ProgramService>();
        services.AddService<IApiKeyService, ApiKeyService>();
        services.AddService<IMemberAuthService, MemberAuthService>();
        services.AddService<IPrivacyService, PrivacyService>();
        services.AddService<ISelfService, SelfService>();
        services.AddService<ICampaignService, CampaignService>();
        services.AddService<IFiguresService, FiguresService>();
        services.AddSingleton<OutboxSweep>();
        services.AddSingleton<Maintenance>();
        services.AddSingleton<DemoData>();
        services.AddSingleton<JobRestarts>();

        // The fan-out asks the scheduler for the runs it starts, so the scheduler makes it.
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<CampaignScheduler>(
            provider, (Func<CampaignScheduler, CampaignFanOut>)(scheduler => ActivatorUtilities.CreateInstance<CampaignFanOut>(provider, scheduler))));

        // Every sharded job, also as a ShardedJob for the hosts that run any of them by its runs' keys.
        services.AddJob<NightlyReview>();
        services.AddJob(provider => provider.GetRequiredService<CampaignScheduler>().FanOut);
        return services;
    }

    /// <summary>A service under its interface and as itself, one instance for both (another service may need its concrete type).</summary>
    private static void AddService<TService, TImplementation>(this IServiceCollection services)
        where TService : class where TImplementation : class, TService
    {
        services.AddSingleton<TImplementation>();
        services.AddSingleton<TService>(provider => provider.GetRequiredService<TImplementation>());
    }

    private static void AddJob<TJob>(this IServiceCollection services, Func<IServiceProvider, TJob>? create = null) where TJob : ShardedJob
    {
        if (create is null) services.AddSingleton<TJob>();
        else services.AddSingleton(create);
        services.AddSingleton<ShardedJob>(provider => provider.GetRequiredService<TJob>());
    }
}
