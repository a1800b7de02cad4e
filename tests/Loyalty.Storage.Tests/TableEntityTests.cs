using Azure;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests;

public sealed class TableEntityTests : AzuriteTest
{
    [Fact]
    public async Task Create_if_not_exists_twice_is_fine()
    {
        var table = await CreateTableAsync("twice");

        Assert.False(await table.CreateIfNotExistsAsync());
        Assert.True(await table.DeleteTableAsync());
        Assert.False(await table.DeleteTableAsync());
        Assert.True(await table.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task Insert_then_get_returns_the_entity_with_its_etag_and_timestamp()
    {
        var table = await CreateTableAsync();
        var etag = await table.InsertAsync(new TableEntity("p1", "m1") { ["Name"] = "Ada", ["Points"] = 10 });

        var read = await table.GetEntityAsync("p1", "m1");

        Assert.NotNull(read);
        Assert.Equal("p1", read.PartitionKey);
        Assert.Equal("m1", read.RowKey);
        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("Ada", read.GetString("Name"));
        Assert.Equal(10, read.GetInt32("Points"));
        Assert.Equal(2, read.Count);
    }

    [Fact]
    public async Task Get_of_a_missing_entity_is_null_but_a_missing_table_throws()
    {
        var table = await CreateTableAsync();

        Assert.Null(await table.GetEntityAsync("p1", "nobody"));
        var missing = Account.GetTable(UniqueName.Table("missing"));
        await Assert.ThrowsAsync<StorageNotFoundException>(() => missing.GetEntityAsync("p1", "nobody"));
    }

    [Fact]
    public async Task Inserting_a_duplicate_is_a_conflict()
    {
        var table = await CreateTableAsync();
        await table.InsertAsync(new TableEntity("p1", "m1"));

        var error = await Assert.ThrowsAsync<StorageConflictException>(() => table.InsertAsync(new TableEntity("p1", "m1")));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
    }

    [Fact]
    public async Task Upsert_merge_keeps_other_properties_and_replace_drops_them()
    {
        var table = await CreateTableAsync();
        await table.UpsertAsync(new TableEntity("p1", "m1") { ["A"] = "a", ["B"] = "b" });

        await table.UpsertAsync(new TableEntity("p1", "m1") { ["B"] = "b2" }, TableUpdateMode.Merge);
        var merged = await table.GetEntityAsync("p1", "m1");
        await table.UpsertAsync(new TableEntity("p1", "m1") { ["C"] = "c" }, TableUpdateMode.Replace);
        var replaced = await table.GetEntityAsync("p1", "m1");

        Assert.Equal(("a", "b2"), (merged!.GetString("A"), merged.GetString("B")));
        Assert.Equal(["C"], replaced!.Keys);
    }

    [Fact]
    public async Task Update_with_the_current_etag_succeeds_and_with_a_stale_one_fails()
    {
        var table = await CreateTableAsync();
        var first = await table.InsertAsync(new TableEntity("p1", "m1") { ["Points"] = 1L });
        var second = await table.UpdateAsync(new TableEntity("p1", "m1") { ["Points"] = 2L }, first);

        var stale = await Assert.ThrowsAsync<StoragePreconditionFailedException>(
            () => table.UpdateAsync(new TableEntity("p1", "m1") { ["Points"] = 3L }, first, TableUpdateMode.Replace));
        await table.UpdateAsync(new TableEntity("p1", "m1") { ["Points"] = 4L }, ETag.All, TableUpdateMode.Replace);

        Assert.NotEqual(first, second);
        Assert.Equal(412, stale.Status);
        Assert.Equal(4L, (await table.GetEntityAsync("p1", "m1"))!.GetInt64("Points"));
    }

    [Fact]
    public async Task Update_of_a_missing_entity_is_not_found()
    {
        var table = await CreateTableAsync();

        await Assert.ThrowsAsync<StorageNotFoundException>(() => table.UpdateAsync(new TableEntity("p1", "ghost"), ETag.All));
    }

    [Fact]
    public async Task Delete_honours_the_etag_and_reports_missing_rows()
    {
        var table = await CreateTableAsync();
        var first = await table.InsertAsync(new TableEntity("p1", "m1") { ["V"] = 1 });
        var second = await table.UpsertAsync(new TableEntity("p1", "m1") { ["V"] = 2 });

        await Assert.ThrowsAsync<StoragePreconditionFailedException>(() => table.DeleteEntityAsync("p1", "m1", first));
        Assert.True(await table.DeleteEntityAsync("p1", "m1", second));
        Assert.False(await table.DeleteEntityAsync("p1", "m1"));
        Assert.Null(await table.GetEntityAsync("p1", "m1"));
    }

    [Theory]
    [InlineData("prog|07", "p|+46 70'123@x")]
    [InlineData("a'b''c", "plus+and%41percent%")]
    [InlineData("unicode ÅÄÖ 😀", "tab-free ~!*()$&=,;:")]
    public async Task Keys_with_characters_that_need_escaping_work_for_every_operation(string partitionKey, string rowKey)
    {
        var table = await CreateTableAsync("keys");

        var inserted = await table.InsertAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 1 });
        var updated = await table.UpdateAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 2 }, inserted);
        var read = await table.GetEntityAsync(partitionKey, rowKey);
        var queried = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {partitionKey} and RowKey eq {rowKey}")).ToListAsync();

        Assert.Equal((partitionKey, rowKey, 2), (read!.PartitionKey, read.RowKey, read.GetInt32("V")));
        Assert.Equal(updated, read.ETag);
        Assert.Equal(rowKey, Assert.Single(queried).RowKey);
        Assert.True(await table.DeleteEntityAsync(partitionKey, rowKey, updated));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    public async Task Keys_the_service_forbids_are_refused_before_sending(string key)
    {
        var table = Account.GetTable(UniqueName.Table("never"));

        await Assert.ThrowsAsync<ArgumentException>(() => table.InsertAsync(new TableEntity("p", key)));
        await Assert.ThrowsAsync<ArgumentException>(() => table.GetEntityAsync(key, "r"));
    }
}
