using Loyalty.Core.Application;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Accounts;

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
    private readonly StorageAccount account;

    private LoyaltyStorage(StorageAccount account, LoyaltyTables tables)
    {
        this.account = account;
        Tables = tables;
        Programs = new TableProgramStore(account.GetTable(tables.Programs));
        ApiKeys = new TableApiKeyStore(account.GetTable(tables.ApiKeys));
        Members = new TableMemberStore(account.GetTable(tables.Members));
        Identities = new TableIdentityStore(account.GetTable(tables.Identities));
    }

    public LoyaltyTables Tables { get; }
    public IProgramStore Programs { get; }
    public IApiKeyStore ApiKeys { get; }
    public IMemberStore Members { get; }
    public IIdentityStore Identities { get; }

    public static LoyaltyStorage Create(StorageAccount account, LoyaltyTables? tables = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new LoyaltyStorage(account, tables ?? LoyaltyTables.Default);
    }

    /// <summary>Creates the tables that do not exist yet; safe to call on every start.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(Tables.All.Select(name => account.GetTable(name).CreateIfNotExistsAsync(cancellationToken)));

    /// <summary>The application services over these stores; create once per host (they hold the program cache).</summary>
    public LoyaltyServices CreateServices(TimeProvider time) => LoyaltyServices.Create(Programs, Members, Identities, ApiKeys, time);
}
