using Loyalty.Storage.Accounts;
using Azure.Storage.Queues;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// The storage account under one set of names (<see cref="LoyaltyResources"/>): its queues, and creating what is
/// missing at start-up. The stores over it are registered by <see cref="LoyaltyStorageRegistration.AddLoyaltyStorage"/>.
/// </summary>
public sealed class LoyaltyStorage
{
    private LoyaltyStorage(StorageAccount account, LoyaltyResources names)
    {
        Account = account;
        Names = names;
    }

    public StorageAccount Account { get; }
    public LoyaltyResources Names { get; }

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
}
