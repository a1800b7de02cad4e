using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Storage.InMemory;

public static class InMemoryStorageRegistration
{
    /// <summary>
    /// <paramref name="storage"/> and every port of Core over it, as singletons, as <c>AddLoyaltyStorage</c> registers them
    /// over Azure storage, with the same Table stores (<see cref="InMemoryTableClient"/>): one member store serves the member
    /// writes, their history and their outbox. The ports served here no further are registered too, throwing at their first
    /// call, so a service needing one is built as in production and fails only where it uses it.
    /// </summary>
    public static IServiceCollection AddInMemoryStorage(this IServiceCollection services, InMemoryStorage storage)
    {
        var membersTable = new InMemoryTableClient(storage.Members);
        var members = new TableMemberStore(membersTable);
        services.AddSingleton(storage);
        services.AddSingleton<IProgramStore>(new TableProgramStore(new InMemoryTableClient(storage.Programs)));
        services.AddSingleton<IMemberStore>(members);
        services.AddSingleton<IMemberHistory>(members);
        services.AddSingleton<IMemberOutbox>(members);
        services.AddSingleton<INotificationQueue>(storage.Notifications);
        services.AddSingleton<IReviewStore>(new TableReviewStore(membersTable));
        services.AddSingleton<IJobProgressStore>(new TableJobProgressStore(new InMemoryTableClient(storage.JobProgress), membersTable));
        services.AddSingleton<ICampaignStore>(new TableCampaignStore(new InMemoryTableClient(storage.Campaigns)));
        services.AddSingleton<ICampaignDeliveries>(
            new TableCampaignDeliveries(new InMemoryTableClient(storage.Deliveries), new InMemoryBlobContainerClient(storage.CampaignFiles)));
        services.AddSingleton<IFiguresStore>(new TableFiguresStore(new InMemoryTableClient(storage.Figures)));
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
