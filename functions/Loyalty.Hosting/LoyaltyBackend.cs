using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
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

    private LoyaltyBackend(LoyaltyStorage storage, TimeProvider time)
    {
        this.storage = storage;
        var services = storage.CreateServices(time);
        Members = services.Members;
        Programs = services.Programs;
        ApiKeys = services.ApiKeys;
        Receipts = services.Receipts;
        Outbox = services.Outbox;
        Demo = new DemoData(Programs, Members, ApiKeys, time);
    }

    public IMemberService Members { get; }
    public IProgramService Programs { get; }
    public IApiKeyService ApiKeys { get; }
    public IReceiptService Receipts { get; }
    public OutboxSweep Outbox { get; }
    public DemoData Demo { get; }

    /// <summary>The storage behind the services, for hosts that read its queues (the local receipts worker).</summary>
    public LoyaltyStorage Storage => storage;

    public static LoyaltyBackend Create(IConfiguration configuration, TimeProvider time)
    {
        var prefix = configuration[$"{StorageSettings.Section}:Prefix"];
        var names = string.IsNullOrEmpty(prefix) ? LoyaltyResources.Default : LoyaltyResources.WithPrefix(prefix);
        return new LoyaltyBackend(LoyaltyStorage.Create(StorageSettings.Account(configuration), names), time);
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
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyBackend>().Demo);
        return services;
    }
}
