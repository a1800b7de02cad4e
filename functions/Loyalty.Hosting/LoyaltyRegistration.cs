using Loyalty.Core.Application;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Hosting;

/// <summary>
/// The backend from configuration, for every host (the local host, the Functions app, the CLI):
/// <code>services.AddLoyaltyStorage(configuration).AddLoyaltyApplication(configuration);</code>
/// </summary>
public static class LoyaltyRegistration
{
    /// <summary>
    /// The stores over the account <see cref="StorageSettings"/> reads; <c>Storage:Prefix</c> gives side-by-side
    /// environments (and tests) their own tables, queues and containers.
    /// </summary>
    public static IServiceCollection AddLoyaltyStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var prefix = configuration[$"{StorageSettings.Section}:Prefix"];
        var names = string.IsNullOrEmpty(prefix) ? LoyaltyResources.Default : LoyaltyResources.WithPrefix(prefix);
        return services.AddLoyaltyStorage(_ => StorageSettings.Account(configuration), names);
    }

    /// <summary>The application services with the nightly schedule and member verification as configured, and the My pages program.</summary>
    public static IServiceCollection AddLoyaltyApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => NightlySettings.Schedule(configuration));
        services.AddSingleton(_ => MemberAuthSettings.Options(configuration));
        services.AddSingleton(_ => MemberAuthSettings.Pages(configuration));
        return services.AddLoyaltyApplication();
    }
}
