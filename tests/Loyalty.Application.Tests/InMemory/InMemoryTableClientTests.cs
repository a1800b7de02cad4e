using Azure;
using Azure.Data.Tables;
using Loyalty.Storage.Errors;
using Loyalty.Storage.InMemory;
using Loyalty.Storage.Tables;
using Xunit;

namespace Loyalty.Application.Tests.InMemory;

/// <summary>
/// The SDK's client over the in-memory table answers the Table stores as the service does: a failed transaction action
/// by its index and status, a missing row as no value, the columns as written, queries in pages, and a filter it cannot
/// run refused rather than misread.
/// </summary>
public sealed class InMemoryTableClientTests
{
    private readonly StorageRequests requests = new();
    private readonly TableClient client;

    public InMemoryTableClientTests() => client = new InMemoryTableClient(new InMemoryTable("t", requests));

    [Fact]
    public async Task A_failed_transaction_names_the_action_and_its_status_as_the_sdk_does_and_changes_nothing()
    {
        await client.SubmitCheckedAsync([new(TableTransactionActionType.Add, new TableEntity("pk", "a") { ["N"] = 1 })]);
        var a = (await client.GetOrNullAsync<TableEntity>("pk", "a"))!;

        var duplicate = await Assert.ThrowsAsync<TableTransactionFailedException>(() => client.SubmitCheckedAsync([
            new(TableTransactionActionType.Add, new TableEntity("pk", "b")),
            new(TableTransactionActionType.Add, new TableEntity("pk", "a")),
        ]));
        Assert.Equal((409, 1), (duplicate.Status, duplicate.FailedTransactionActionIndex));
        Assert.True(duplicate.IsConflict());

        await client.SubmitCheckedAsync([new(TableTransactionActionType.UpdateReplace, new TableEntity("pk", "a") { ["N"] = 2 }, a.ETag)]);
        var stale = await Assert.ThrowsAsync<TableTransactionFailedException>(() => client.SubmitCheckedAsync([
            new(TableTransactionActionType.UpdateReplace, new TableEntity("pk", "a") { ["N"] = 3 }, a.ETag),
        ]));
        Assert.Equal(0, stale.FailedTransactionActionIndex);
        Assert.True(stale.IsConditionFailed());

        var gone = await Assert.ThrowsAsync<TableTransactionFailedException>(() => client.SubmitCheckedAsync([
            new(TableTransactionActionType.Delete, new TableEntity("pk", "c"), ETag.All),
        ]));
        Assert.True(gone.IsNotFound());
        Assert.Null(await client.GetOrNullAsync<TableEntity>("pk", "b"));
        Assert.Equal(2, (await client.GetOrNullAsync<TableEntity>("pk", "a"))!.GetInt32("N"));
    }

    [Fact]
    public async Task Columns_come_back_as_written_and_bound_by_name_to_a_typed_row()
    {
        var at = new DateTimeOffset(2027, 1, 1, 2, 0, 0, TimeSpan.FromHours(1));
        await client.UpsertEntityAsync(new TableEntity("pk", "r")
        {
            ["Text"] = "é|\n'", ["Flag"] = true, ["Int"] = 7, ["Long"] = long.MaxValue, ["Double"] = 0.5, ["At"] = at,
            ["Id"] = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), ["Bytes"] = new byte[] { 0, 255 }, ["Empty"] = null,
        }, TableUpdateMode.Replace);

        var row = (await client.GetOrNullAsync<TableEntity>("pk", "r"))!;
        Assert.Equal(("é|\n'", true, 7, long.MaxValue, 0.5), (row.GetString("Text"), row.GetBoolean("Flag"), row.GetInt32("Int"),
            row.GetInt64("Long"), row.GetDouble("Double")));
        Assert.Equal((at, TimeSpan.Zero), (row.GetDateTimeOffset("At"), row.GetDateTimeOffset("At")!.Value.Offset));
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), row.GetGuid("Id"));
        Assert.Equal([0, 255], row.GetBinary("Bytes"));
        Assert.False(row.ContainsKey("Empty"));
        var typed = (await client.GetOrNullAsync<Typed>("pk", "r"))!;
        Assert.Equal(("é|\n'", at, row.ETag), (typed.Text, typed.At, typed.ETag));
    }

    [Fact]
    public async Task A_query_reads_its_key_range_a_page_a_request_and_refuses_a_filter_it_cannot_run()
    {
        foreach (var chunk in Enumerable.Range(0, 1200).Select(i => new TableEntity("pk", $"k|{i:D4}")).Chunk(100))
            await client.SubmitCheckedAsync([.. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e))]);
        await client.UpsertEntityAsync(new TableEntity("pk2", "k|0001"), TableUpdateMode.Replace);
        requests.Reset();

        var keys = new List<string>();
        var range = TableClient.CreateQueryFilter($"PartitionKey eq {"pk"} and RowKey ge {"k|0100"} and RowKey lt {"k}"}");
        await foreach (var row in client.QueryAsync<TableEntity>(range)) keys.Add(row.RowKey);
        Assert.Equal(Enumerable.Range(100, 1100).Select(i => $"k|{i:D4}"), keys);
        Assert.Equal(2, requests.Snapshot()[StorageRequests.Kinds.TableQuery]);

        var partitions = new List<string>();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey gt {"pk"} and PartitionKey lt {"pk~"}")))
            partitions.Add(row.PartitionKey);
        Assert.Equal(["pk2"], partitions);

        Assert.Throws<NotSupportedException>(() => client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Balance gt {5}")));
    }

    private sealed class Typed : ITableEntity
    {
        public string PartitionKey { get; set; } = "";
        public string RowKey { get; set; } = "";
        public DateTimeOffset? Timestamp { get; set; }
        public ETag ETag { get; set; }
        public string? Text { get; set; }
        public DateTimeOffset? At { get; set; }
    }
}
