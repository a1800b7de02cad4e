using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Loyalty.Storage.Accounts;
using Xunit;

namespace Loyalty.Testing;

/// <summary>
/// Base for tests against Azurite: creates uniquely named tables, queues and containers on request and
/// deletes them when the test ends (xunit creates one instance per test).
/// </summary>
public abstract class AzuriteTest : IAsyncLifetime
{
    private readonly List<Func<Task>> cleanups = [];

    protected static StorageAccount Account => Azurite.Account;

    protected async Task<TableClient> CreateTableAsync(string prefix = "test")
    {
        var table = Account.GetTable(UniqueName.Table(prefix));
        await table.CreateIfNotExistsAsync();
        cleanups.Add(() => table.DeleteAsync());
        return table;
    }

    protected async Task<QueueClient> CreateQueueAsync(string prefix = "test")
    {
        var queue = Account.GetQueue(UniqueName.Queue(prefix));
        await queue.CreateIfNotExistsAsync();
        cleanups.Add(() => queue.DeleteIfExistsAsync());
        return queue;
    }

    protected async Task<BlobContainerClient> CreateContainerAsync(string prefix = "test")
    {
        var container = Account.GetContainer(UniqueName.Container(prefix));
        await container.CreateIfNotExistsAsync();
        cleanups.Add(() => container.DeleteIfExistsAsync());
        return container;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var cleanup in cleanups)
        {
            await cleanup();
        }
    }
}
