using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Storage.InMemory;

public static class InMemoryStorageRegistration
{
    /// <summary>
    /// <paramref name="storage"/> and every port of Core over it, as singletons, as <c>AddLoyaltyStorage</c> registers them
    /// over Azure storage: one member store serves the member writes, their history and their outbox. The ports the
    /// in-memory stores do not serve are registered too, throwing at their first call, so a service needing one is built
    /// as in production and fails only where it uses it.
    /// </summary>
    public static IServiceCollection AddInMemoryStorage(this IServiceCollection services, InMemoryStorage storage)
    {
        var membersTable = new InMemoryTableClient(storage.Members);
        var members = new TableMemberStore(membersTable);
        services.AddSingleton(storage);
        services.AddSingleton<IProgramStore>(new InMemoryProgramStore(storage.Programs));
        services.AddSingleton<IMemberStore>(members);
        services.AddSingleton<IMemberHistory>(members);
        services.AddSingleton<IMemberOutbox>(members);
        services.AddSingleton<INotificationQueue>(storage.Notifications);
        services.AddSingleton<IReviewStore>(new TableReviewStore(membersTable));
        services.AddSingleton<IJobProgressStore>(new TableJobProgressStore(new InMemoryTableClient(storage.JobProgress), membersTable));
        services.AddSingleton<ICampaignStore>(new InMemoryCampaignStore(storage.Campaigns));
        services.AddSingleton<ICampaignDeliveries>(new InMemoryCampaignDeliveries(storage.Deliveries, storage.CampaignFiles));
        services.AddSingleton<IFiguresStore>(new InMemoryFiguresStore(storage.Figures));
        NotSupported<IIdentityStore>();
        NotSupported<IApiKeyStore>();
        NotSupported<IParkedReceiptStore>();
        NotSupported<IReceiptClaims>();
        NotSupported<IReceiptArchive>();
        NotSupported<IMemberAuthStore>();
        NotSupported<IAuditLog>();
        NotSupported<IPrivacyStore>();
        NotSupported<IExportStore>();
        NotSupported<ICampaignExports>();
        return services;

        void NotSupported<TPort>() where TPort : class => services.AddSingleton(NotSupportedPort<TPort>.Create());
    }
}
