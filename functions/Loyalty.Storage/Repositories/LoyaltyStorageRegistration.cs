using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Statistics;
using Loyalty.Storage.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Storage.Repositories;

public static class LoyaltyStorageRegistration
{
    public static IServiceCollection AddLoyaltyStorage(this IServiceCollection services, StorageAccount account, LoyaltyResources? names = null) =>
        services.AddLoyaltyStorage(_ => account, names);

    /// <summary>
    /// The storage account, its <see cref="LoyaltyStorage"/> and every port of Core over it, as singletons: the SDKs'
    /// clients (and their token cache) live as long as the container. The account is made at first use, so a
    /// configuration mistake fails where the stores are first needed, not while registering. One store may serve
    /// several ports.
    /// </summary>
    public static IServiceCollection AddLoyaltyStorage(
        this IServiceCollection services, Func<IServiceProvider, StorageAccount> account, LoyaltyResources? names = null)
    {
        var n = names ?? LoyaltyResources.Default;
        services.AddSingleton(provider => LoyaltyStorage.Create(account(provider), n));
        services.AddSingleton(provider => provider.GetRequiredService<LoyaltyStorage>().Account);
        Add<IProgramStore>(a => new TableProgramStore(a.GetTable(n.Programs)));
        // One store for a member's partition: its writes, their history and their outbox.
        Add(a => new TableMemberStore(a.GetTable(n.Members)));
        services.AddSingleton<IMemberStore>(provider => provider.GetRequiredService<TableMemberStore>());
        services.AddSingleton<IMemberHistory>(provider => provider.GetRequiredService<TableMemberStore>());
        services.AddSingleton<IMemberOutbox>(provider => provider.GetRequiredService<TableMemberStore>());
        Add<IIdentityStore>(a => new TableIdentityStore(a.GetTable(n.Identities)));
        Add<IApiKeyStore>(a => new TableApiKeyStore(a.GetTable(n.ApiKeys)));
        Add<IParkedReceiptStore>(a => new TableParkedReceiptStore(a.GetTable(n.ParkedReceipts)));
        Add<IReceiptClaims>(a => new TableReceiptClaims(a.GetTable(n.ReceiptClaims)));
        Add<IReceiptArchive>(a => new ReceiptArchive(a.GetContainer(n.ReceiptsContainer), a.GetTable(n.Members)));
        Add<INotificationQueue>(a => new QueueNotifications(a.GetQueue(n.NotificationsQueue)));
        Add<IReviewStore>(a => new TableReviewStore(a.GetTable(n.Members)));
        Add<IJobProgressStore>(a => new TableJobProgressStore(a.GetTable(n.JobProgress), a.GetTable(n.Members)));
        Add<IMemberAuthStore>(a => new TableMemberAuthStore(a.GetTable(n.MemberAuth)));
        Add<IAuditLog>(a => new TableAuditLog(a.GetTable(n.Audit)));
        Add<IPrivacyStore>(a => new TablePrivacyStore(a.GetTable(n.Members)));
        Add<IExportStore>(a => new BlobExportStore(a.GetContainer(n.ExportsContainer)));
        Add<ICampaignStore>(a => new TableCampaignStore(a.GetTable(n.Campaigns)));
        Add<IFiguresStore>(a => new TableFiguresStore(a.GetTable(n.ProgramFigures)));
        Add<ICampaignDeliveries>(a => new TableCampaignDeliveries(a.GetTable(n.CampaignDeliveries), a.GetContainer(n.CampaignsContainer)));
        services.AddSingleton<ICampaignExports>(provider => new CampaignExportIndex(
            provider.GetRequiredService<StorageAccount>().GetTable(n.Members), provider.GetRequiredService<IProgramStore>(),
            provider.GetRequiredService<StorageAccount>().GetContainer(n.CampaignsContainer)));
        return services;

        void Add<TPort>(Func<StorageAccount, TPort> create) where TPort : class =>
            services.AddSingleton(provider => create(provider.GetRequiredService<StorageAccount>()));
    }
}
