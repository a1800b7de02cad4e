using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests;

/// <summary>Listing an account's tables, queues and containers by name prefix (what a privacy scan walks).</summary>
public sealed class AccountListingTests : AzuriteTest
{
    [Fact]
    public async Task Tables_queues_and_containers_are_listed_by_prefix_and_nothing_else()
    {
        var prefix = UniqueName.Table("list");
        var lower = prefix.ToLowerInvariant();
        string[] tables = [prefix + "A", prefix + "B"];
        string[] hyphenated = [lower + "-a", lower + "-b"];
        foreach (var table in tables) await Account.GetTable(table).CreateIfNotExistsAsync();
        foreach (var name in hyphenated)
        {
            await Account.GetQueue(name).CreateIfNotExistsAsync();
            await Account.GetContainer(name).CreateIfNotExistsAsync();
        }
        var other = await CreateTableAsync("other");

        try
        {
            Assert.Equal(tables, await Account.ListTablesAsync(prefix).ToListAsync());
            Assert.Equal(hyphenated, await Account.ListQueuesAsync(lower).ToListAsync());
            Assert.Equal(hyphenated, await Account.ListContainersAsync(lower).ToListAsync());
            Assert.Contains(other.Name, await Account.ListTablesAsync().ToListAsync());
        }
        finally
        {
            foreach (var table in tables) await Account.GetTable(table).DeleteTableAsync();
            foreach (var name in hyphenated)
            {
                await Account.GetQueue(name).DeleteQueueAsync();
                await Account.GetContainer(name).DeleteContainerAsync();
            }
        }
    }
}
