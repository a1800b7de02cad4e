using Azure;
using Azure.Data.Tables;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests.Sdk;

/// <summary>What the stores rely on from Azure.Data.Tables and the thin layer over it, against Azurite.</summary>
public sealed class TableContractTests : AzuriteTest
{
    [Fact]
    public async Task A_conflict_at_the_57th_action_changes_nothing_and_names_index_56()
    {
        var table = await CreateTableAsync("atomic");
        await table.AddEntityAsync(new TableEntity("p1", "r056") { ["Original"] = true });
        var actions = Enumerable.Range(0, 100).Select(i =>
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p1", $"r{i:D3}") { ["I"] = i })).ToList();

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitCheckedAsync(actions));

        Assert.Equal(56, error.FailedTransactionActionIndex);
        Assert.True(error.IsConflict());
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.True(Assert.Single(await table.QueryAsync<TableEntity>().ToListAsync()).GetBoolean("Original"));
    }

    [Fact]
    public async Task A_stale_etag_fails_the_whole_transaction_as_a_failed_condition()
    {
        var table = await CreateTableAsync("stale");
        var stale = (await table.AddEntityAsync(new TableEntity("p1", "profile") { ["Points"] = 1L })).Headers.ETag!.Value;
        await table.UpsertEntityAsync(new TableEntity("p1", "profile") { ["Points"] = 2L });

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitCheckedAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p1", "receipt-1")),
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity("p1", "profile") { ["Points"] = 3L }, stale),
        ]));

        Assert.True(error.IsConditionFailed());
        Assert.False(error.IsConflict());
        Assert.Equal(1, error.FailedTransactionActionIndex);
        Assert.Null(await table.GetOrNullAsync<TableEntity>("p1", "receipt-1"));
        Assert.Equal(2L, (await table.GetOrNullAsync<TableEntity>("p1", "profile"))!.GetInt64("Points"));
    }

    [Fact]
    public async Task Rule_breaking_transactions_are_refused_before_sending()
    {
        // The table does not exist: had anything been sent, the error would be a RequestFailedException.
        var table = Account.GetTable(UniqueName.Table("unsent"));
        TableTransactionAction Add(string partition, string row, string text = "") =>
            new(TableTransactionActionType.Add, new TableEntity(partition, row) { ["T"] = text });

        var count = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitCheckedAsync([.. Enumerable.Range(0, 101).Select(i => Add("p1", $"r{i}"))]));
        var partitions = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitCheckedAsync([Add("p1", "a"), Add("p2", "b")]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitCheckedAsync([Add("p1", "a"), Add("p1", "a")]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitCheckedAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitCheckedAsync([Add("p1", "a/b")]));
        // 100 rows of 30,000 quotes: 3 MB of text, but 18 MB once System.Text.Json has escaped every quote.
        var size = await Assert.ThrowsAsync<ArgumentException>(() =>
            table.SubmitCheckedAsync([.. Enumerable.Range(0, 100).Select(i => Add("p1", $"r{i}", new string('"', 30_000)))]));

        Assert.Contains("101", count.Message);
        Assert.Contains("p2", partitions.Message);
        Assert.Contains("4 MiB", size.Message);
    }

    [Fact]
    public async Task A_missing_row_reads_as_null_but_a_missing_table_throws()
    {
        var table = await CreateTableAsync("missing");

        Assert.Null(await table.GetOrNullAsync<TableEntity>("p1", "nobody"));
        var absent = Account.GetTable(UniqueName.Table("absent"));
        // The SDK alone answers "no value" for both.
        Assert.False((await absent.GetEntityIfExistsAsync<TableEntity>("p1", "nobody")).HasValue);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => absent.GetOrNullAsync<TableEntity>("p1", "nobody"));
        Assert.Equal((404, "TableNotFound"), (error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task Single_entity_conditions_map_to_conflict_condition_failed_and_not_found()
    {
        var table = await CreateTableAsync("ifmatch");
        var first = (await table.AddEntityAsync(new TableEntity("p1", "m1") { ["V"] = 1 })).Headers.ETag!.Value;
        await table.UpdateEntityAsync(new TableEntity("p1", "m1") { ["V"] = 2 }, first, TableUpdateMode.Replace);

        var duplicate = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p1", "m1")));
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() =>
            table.UpdateEntityAsync(new TableEntity("p1", "m1") { ["V"] = 3 }, first, TableUpdateMode.Replace));
        var staleDelete = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p1", "m1", first));
        var ghost = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(new TableEntity("p1", "ghost"), ETag.All));

        Assert.True(duplicate.IsConflict() && !duplicate.IsConditionFailed());
        Assert.True(stale.IsConditionFailed() && !stale.IsConflict());
        Assert.True(staleDelete.IsConditionFailed());
        Assert.True(ghost.IsNotFound());
        Assert.Equal(2, (await table.GetOrNullAsync<TableEntity>("p1", "m1"))!.GetInt32("V"));
    }

    [Theory]
    [InlineData("prog|07", "p|+46 70'123@x")]
    [InlineData("a'b''c", "plus+and%41percent%")]
    [InlineData("unicode ÅÄÖ 😀", "tab-free ~!*()$&=,;:")]
    public async Task Keys_with_quotes_bars_and_escapes_work_for_every_operation(string partitionKey, string rowKey)
    {
        var table = await CreateTableAsync("keys");

        var inserted = (await table.AddEntityAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 1 })).Headers.ETag!.Value;
        var updated = (await table.UpdateEntityAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 2 }, inserted)).Headers.ETag!.Value;
        await table.SubmitCheckedAsync([new TableTransactionAction(TableTransactionActionType.UpsertMerge,
            new TableEntity(partitionKey, rowKey + "|2") { ["V"] = 3 })]);
        var read = await table.GetOrNullAsync<TableEntity>(partitionKey, rowKey);
        var queried = await table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey eq {rowKey}")).ToListAsync();

        Assert.Equal((partitionKey, rowKey, 2), (read!.PartitionKey, read.RowKey, read.GetInt32("V")));
        Assert.Equal(updated, read.ETag);
        Assert.Equal(rowKey, Assert.Single(queried).RowKey);
        Assert.Equal(204, (await table.DeleteEntityAsync(partitionKey, rowKey, updated)).Status);
        Assert.Equal(3, (await table.GetOrNullAsync<TableEntity>(partitionKey, rowKey + "|2"))!.GetInt32("V"));
    }

    [Fact]
    public async Task Every_type_we_write_round_trips_with_its_type_and_getters_do_not_widen()
    {
        var table = await CreateTableAsync("types");
        var when = new DateTimeOffset(2025, 11, 28, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1234567);
        await table.AddEntityAsync(new TableEntity("p1", "all")
        {
            ["Text"] = "Grüße, 東京 😀 \"quoted\" 'single' <tag> & \\ \n line",
            ["Int32"] = int.MaxValue,
            ["Int64"] = long.MinValue,
            ["Int64Small"] = 5L,
            ["DoubleWhole"] = 5.0,
            ["Bool"] = true,
            ["When"] = when,
        });

        var read = (await table.GetOrNullAsync<TableEntity>("p1", "all"))!;

        Assert.Equal("Grüße, 東京 😀 \"quoted\" 'single' <tag> & \\ \n line", read.GetString("Text"));
        Assert.Equal(int.MaxValue, read.GetInt32("Int32"));
        Assert.Equal(long.MinValue, read.GetInt64("Int64"));
        Assert.IsType<long>(read["Int64Small"]);
        Assert.IsType<double>(read["DoubleWhole"]);
        Assert.True(read.GetBoolean("Bool"));
        Assert.Equal(when.UtcTicks, read.GetDateTimeOffset("When")!.Value.UtcTicks);
        // Our own entity widened an Int32 for GetInt64; the SDK's throws, so a column keeps the type it is read with.
        Assert.Throws<InvalidOperationException>(() => read.GetInt64("Int32"));
        // The SDK's entity holds its keys and metadata as properties too: size estimates must skip them.
        Assert.True(read.ContainsKey("PartitionKey") && read.ContainsKey("odata.etag"));
    }

    [Fact]
    public async Task Null_properties_are_left_out_rather_than_stored()
    {
        var table = await CreateTableAsync("nulls");
        await table.AddEntityAsync(new TableEntity("p1", "kept") { ["Email"] = null, ["Name"] = "Ada" }.WithoutNulls());
        await table.AddEntityAsync(new TableEntity("p1", "sent") { ["Email"] = null, ["Name"] = "Bo" });

        var read = (await table.GetOrNullAsync<TableEntity>("p1", "kept"))!;
        var unfiltered = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Email ne {"x"}")).Select(e => e.RowKey).ToListAsync();

        Assert.False(read.ContainsKey("Email"));
        // Sent as JSON null, Azurite stores a property a filter then sees; left out, the row has none, as on Azure.
        Assert.DoesNotContain("kept", unfiltered);
    }
}
