using Loyalty.Core.Application;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Storage.Accounts;
using Azure.Storage.Queues;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// The loyalty stores on one storage account, for the hosts to wire up:
/// <code>
/// var storage = LoyaltyStorage.Create(account);
/// await storage.EnsureCreatedAsync(ct);          // once at start-up
/// var services = storage.CreateServices(TimeProvider.System);
/// </code>
/// </summary>
public sealed class LoyaltyStorage
{
    private LoyaltyStorage(StorageAccount account, LoyaltyResources names)
    {
        Account = account;
        Names = names;
        var programs = new TableProgramStore(account.GetTable(names.Programs));
        Ports = new LoyaltyPorts(
            programs,
            new TableMemberStore(account.GetTable(names.Members)),
            new TableIdentityStore(account.GetTable(names.Identities)),
            new TableApiKeyStore(account.GetTable(names.ApiKeys)),
            new TableParkedReceiptStore(account.GetTable(names.ParkedReceipts)),
            new TableReceiptClaims(account.GetTable(names.ReceiptClaims)),
            new ReceiptArchive(account.GetContainer(names.ReceiptsContainer), account.GetTable(names.Members)),
            new QueueNotifications(account.GetQueue(names.NotificationsQueue)),
            new TableReviewStore(account.GetTable(names.Members)),
            new TableJobProgressStore(account.GetTable(names.JobProgress), account.GetTable(names.Members)),
            new TableMemberAuthStore(account.GetTable(names.MemberAuth)),
            new TableAuditLog(account.GetTable(names.Audit)),
            new TablePrivacyStore(account.GetTable(names.Members)),
            new BlobExportStore(account.GetContainer(names.ExportsContainer)),
            new CampaignExportIndex(account.GetTable(names.Members), programs, account.GetContainer(names.CampaignsContainer)),
            new TableCampaignStore(account.GetTable(names.Campaigns)),
            new TableCampaignDeliveries(account.GetTable(names.CampaignDeliveries), account.GetContainer(names.CampaignsContainer)),
            new TableFiguresStore(account.GetTable(names.ProgramFigures)));
    }

    public StorageAccount Account { get; }
    public LoyaltyResources Names { get; }
    public LoyaltyPorts Ports { get; }

    /// <summary>The queue POS systems send <c>loyalty.receipt.v1</c> messages to.</summary>
    public QueueClient ReceiptsQueue => Account.GetQueue(Names.ReceiptsQueue);

    public QueueClient ReceiptsPoisonQueue => Account.GetQueue(Names.ReceiptsPoisonQueue);

    public QueueClient NotificationsQueue => Account.GetQueue(Names.NotificationsQueue);

    public static LoyaltyStorage Create(StorageAccount account, LoyaltyResources? names = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new LoyaltyStorage(account, names ?? LoyaltyResources.Default);
    }

    /// <summary>Creates the tables, queues and containers that do not exist yet; safe to call on every start.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(
            Names.Tables.Select(Task (name) => Account.GetTable(name).CreateIfNotExistsAsync(cancellationToken))
                .Concat(Names.Queues.Select(Task (name) => Account.GetQueue(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken)))
                .Concat(Names.Containers.Select(Task (name) => Account.GetContainer(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken))));

    /// <summary>The application services over these stores; create once per host (they hold the program cache).</summary>
    /// <param name="schedule">When each program's nightly review falls due; 02:00 local time if null.</param>
    /// <param name="memberAuth">Keys and limits of member verification; a random key if null (tests, a laptop).</param>
    public LoyaltyServices CreateServices(TimeProvider time, NightlySchedule? schedule = null, MemberAuthOptions? memberAuth = null) =>
        LoyaltyServices.Create(Ports, time, schedule, memberAuth);
}
