using Azure;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests;

public sealed class TableTransactionTests : AzuriteTest
{
    [Fact]
    public async Task A_batch_of_100_commits_and_returns_each_etag()
    {
        var table = await CreateTableAsync("batch");
        var actions = Enumerable.Range(0, 100)
            .Select(i => TableTransactionAction.Insert(new TableEntity("p1", $"r{i:D3}") { ["I"] = i }))
            .ToList();

        var etags = await table.SubmitTransactionAsync(actions);

        var stored = await table.QueryAsync().ToListAsync();
        Assert.Equal(100, stored.Count);
        Assert.Equal(stored.Select(e => (ETag?)e.ETag), etags);
    }

    [Fact]
    public async Task Every_action_type_applies_in_one_transaction()
    {
        var table = await CreateTableAsync("kinds");
        var toMerge = await table.InsertAsync(new TableEntity("p1", "merge") { ["Keep"] = "k", ["V"] = 1 });
        var toReplace = await table.InsertAsync(new TableEntity("p1", "replace") { ["Drop"] = "d" });
        await table.InsertAsync(new TableEntity("p1", "upsert-merge") { ["Keep"] = "k" });
        await table.InsertAsync(new TableEntity("p1", "upsert-replace") { ["Drop"] = "d" });
        var toDelete = await table.InsertAsync(new TableEntity("p1", "delete"));

        var etags = await table.SubmitTransactionAsync(
        [
            TableTransactionAction.Insert(new TableEntity("p1", "insert") { ["V"] = 1 }),
            TableTransactionAction.Update(new TableEntity("p1", "merge") { ["V"] = 2 }, toMerge),
            TableTransactionAction.Update(new TableEntity("p1", "replace") { ["V"] = 2 }, toReplace, TableUpdateMode.Replace),
            TableTransactionAction.Upsert(new TableEntity("p1", "upsert-merge") { ["V"] = 2 }),
            TableTransactionAction.Upsert(new TableEntity("p1", "upsert-replace") { ["V"] = 2 }, TableUpdateMode.Replace),
            TableTransactionAction.Upsert(new TableEntity("p1", "upsert-new") { ["V"] = 2 }),
            TableTransactionAction.Delete("p1", "delete", toDelete),
        ]);

        var rows = (await table.QueryAsync().ToListAsync()).ToDictionary(e => e.RowKey);
        Assert.Equal(7, etags.Count);
        Assert.All(etags.Take(6), etag => Assert.NotNull(etag));
        Assert.Null(etags[6]);
        Assert.False(rows.ContainsKey("delete"));
        Assert.Equal(("k", 2), (rows["merge"].GetString("Keep"), rows["merge"].GetInt32("V")));
        Assert.Equal(["V"], rows["replace"].Keys);
        Assert.Equal("k", rows["upsert-merge"].GetString("Keep"));
        Assert.Equal(["V"], rows["upsert-replace"].Keys);
        Assert.Equal(etags[1], rows["merge"].ETag);
    }

    [Fact]
    public async Task A_conflict_at_the_57th_action_changes_nothing_and_reports_index_56()
    {
        var table = await CreateTableAsync("atomic");
        await table.InsertAsync(new TableEntity("p1", "r056") { ["Original"] = true });
        var actions = Enumerable.Range(0, 100)
            .Select(i => TableTransactionAction.Insert(new TableEntity("p1", $"r{i:D3}") { ["I"] = i }))
            .ToList();

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(actions));

        Assert.Equal(56, error.FailedActionIndex);
        Assert.Same(actions[56], error.FailedAction);
        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        var remaining = Assert.Single(await table.QueryAsync().ToListAsync());
        Assert.True(remaining.GetBoolean("Original"));
    }

    [Fact]
    public async Task A_stale_etag_fails_the_whole_transaction_with_412()
    {
        var table = await CreateTableAsync("stale");
        var stale = await table.InsertAsync(new TableEntity("p1", "profile") { ["Points"] = 1L });
        await table.UpsertAsync(new TableEntity("p1", "profile") { ["Points"] = 2L });

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            TableTransactionAction.Insert(new TableEntity("p1", "receipt-1")),
            TableTransactionAction.Update(new TableEntity("p1", "profile") { ["Points"] = 3L }, stale),
        ]));

        Assert.Equal((412, 1), (error.Status, error.FailedActionIndex));
        Assert.Null(await table.GetEntityAsync("p1", "receipt-1"));
        Assert.Equal(2L, (await table.GetEntityAsync("p1", "profile"))!.GetInt64("Points"));
    }

    [Fact]
    public async Task Rule_breaking_transactions_are_refused_before_sending()
    {
        // The table does not exist: had anything been sent, the error would be a StorageException.
        var table = Account.GetTable(UniqueName.Table("unsent"));
        var tooMany = Enumerable.Range(0, 101).Select(i => TableTransactionAction.Insert(new TableEntity("p1", $"r{i}"))).ToList();
        var twoPartitions = new[] { TableTransactionAction.Insert(new TableEntity("p1", "a")), TableTransactionAction.Insert(new TableEntity("p2", "b")) };
        var sameRowTwice = new[] { TableTransactionAction.Insert(new TableEntity("p1", "a")), TableTransactionAction.Delete("p1", "a") };

        var count = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(tooMany));
        var partitions = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(twoPartitions));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(sameRowTwice));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([]));

        Assert.Contains("101", count.Message);
        Assert.Contains("PartitionKey", partitions.Message);
        Assert.Contains("p2", partitions.Message);
    }
}
