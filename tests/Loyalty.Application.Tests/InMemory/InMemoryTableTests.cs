using System.Text;
using Azure;
using Azure.Data.Tables;
using Loyalty.Storage.Errors;
using Loyalty.Storage.InMemory;
using Loyalty.Storage.Repositories;
using Loyalty.Storage.Tables;
using Xunit;

namespace Loyalty.Application.Tests.InMemory;

/// <summary>
/// The in-memory table keeps Table Storage's rules: ordinal key order, pages and continuations, whole-or-nothing
/// transactions, ETags, and each call counted as one request. The SDK's client over it answers the Table stores as the
/// service does: a failed action by its index and status, a missing row as no value, the columns as written, queries in
/// pages, and a filter it cannot run refused rather than misread.
/// </summary>
public sealed class InMemoryTableTests
{
    private readonly StorageRequests requests = new();
    private readonly InMemoryTable table;
    private readonly TableClient client;

    public InMemoryTableTests()
    {
        table = new InMemoryTable("t", requests);
        client = new InMemoryTableClient(table);
    }

    private static byte[] Value(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Values_read_back_byte_for_byte_after_rewrites_past_several_chunks_of_the_native_store()
    {
        // 1 MiB rows (the service's largest entity) written three times over: 60 MiB through 16 MiB chunks, the last row
        // of a chunk cut off by the next one's start if an offset were wrong.
        byte[] Row(int row, int version) => [.. Enumerable.Range(0, 1024 * 1024 - row).Select(i => (byte)(i * 31 + row * 7 + version))];
        for (var version = 0; version < 3; version++)
            for (var row = 0; row < 20; row++)
            {
                if (version == 0) table.Insert("pk", $"r{row:D2}", Row(row, version));
                else table.Upsert("pk", $"r{row:D2}", Row(row, version));
            }
        table.Insert("pk", "empty", []);

        for (var row = 0; row < 20; row++) Assert.Equal(Row(row, 2), table.Get("pk", $"r{row:D2}")!.Value);
        Assert.Empty(table.Get("pk", "empty")!.Value);
        Assert.Equal((21, 20L * 1024 * 1024 - 190 + 21 * 2 * (2 + 3) + 2 * 2), table.Size());
    }

    [Fact]
    public void A_range_comes_in_ordinal_key_order_in_pages_whose_continuation_resumes_exactly_after_the_last_row()
    {
        string[] keys = ["p|b", "p|B", "p|a", "p|a|", "p|Z", "p|é", "q|a", "p}", "o|z"];
        foreach (var key in keys) table.Insert("pk", key, Value(key));
        table.Insert("other", "p|c", Value("elsewhere"));
        requests.Reset();

        var seen = new List<string>();
        string? from = null;
        var pages = 0;
        do
        {
            var page = table.Query("pk", RowRange.Between("p|", "p}"), 2, from);
            Assert.InRange(page.Rows.Count, 1, 2);
            seen.AddRange(page.Rows.Select(r => r.RowKey));
            from = page.Continuation;
            pages++;
        }
        while (from is not null);

        Assert.Equal(keys.Where(k => string.CompareOrdinal(k, "p|") > 0 && string.CompareOrdinal(k, "p}") < 0).Order(StringComparer.Ordinal), seen);
        Assert.Equal(["p|B", "p|Z", "p|a", "p|a|", "p|b", "p|é"], seen);
        Assert.Equal(pages, requests.Snapshot()[StorageRequests.Kinds.TableQuery]);
        Assert.Equal(["p|a", "p|a|"], table.Query("pk", new RowRange("p|a", true, "p|a|", true)).Rows.Select(r => r.RowKey));

        // The service serves at most 1,000 rows a page, whatever was asked.
        foreach (var i in Enumerable.Range(0, 1500)) table.Insert("big", $"k{i:D4}", []);
        var first = table.Query("big", RowRange.Between("", "~"), 5000);
        Assert.Equal((1000, "k1000"), (first.Rows.Count, first.Continuation));
        var rest = table.Query("big", RowRange.Between("", "~"), 5000, first.Continuation);
        Assert.Equal((500, null), (rest.Rows.Count, rest.Continuation));
    }

    [Fact]
    public void A_transaction_whose_one_action_fails_changes_nothing_and_names_that_action_and_the_status()
    {
        table.Insert("pk", "a", Value("a1"));
        var etag = table.Get("pk", "a")!.ETag;
        table.Insert("pk", "b", Value("b1"));

        var conflict = Assert.Throws<TableActionFailedException>(() => table.Submit([
            new TableAction(TableActionKind.UpdateReplace, "pk", "a", Value("a2"), etag),
            new TableAction(TableActionKind.Add, "pk", "c", Value("c1")),
            new TableAction(TableActionKind.Add, "pk", "b", Value("b2")),
        ]));
        Assert.Equal((409, 2), (conflict.Status, conflict.FailedIndex));
        Assert.Equal("a1", Encoding.UTF8.GetString(table.Get("pk", "a")!.Value));
        Assert.Equal(etag, table.Get("pk", "a")!.ETag);
        Assert.Null(table.Get("pk", "c"));

        table.Submit([
            new TableAction(TableActionKind.UpdateReplace, "pk", "a", Value("a2"), etag),
            new TableAction(TableActionKind.Add, "pk", "c", Value("c1")),
        ]);
        Assert.NotEqual(etag, table.Get("pk", "a")!.ETag);
        var stale = Assert.Throws<TableActionFailedException>(() =>
            table.Submit([new TableAction(TableActionKind.UpdateReplace, "pk", "a", Value("a3"), etag)]));
        Assert.Equal(412, stale.Status);
        var gone = Assert.Throws<TableActionFailedException>(() => table.Submit([TableAction.Delete("pk", "zz")]));
        Assert.Equal(404, gone.Status);
        Assert.Equal(412, Assert.Throws<TableActionFailedException>(() => table.Replace("pk", "a", Value("a4"), etag)).Status);
        table.Delete("pk", "never there");
        Assert.Equal("a2", Encoding.UTF8.GetString(table.Get("pk", "a")!.Value));
    }

    [Fact]
    public void Transactions_of_more_than_100_actions_over_two_partitions_or_touching_a_row_twice_are_refused_before_anything_is_done()
    {
        Assert.Throws<ArgumentException>(() =>
            table.Submit([.. Enumerable.Range(0, 101).Select(i => new TableAction(TableActionKind.Add, "pk", $"r{i}", []))]));
        Assert.Throws<ArgumentException>(() =>
            table.Submit([new TableAction(TableActionKind.Add, "pk", "a", []), new TableAction(TableActionKind.Add, "pk2", "b", [])]));
        Assert.Throws<ArgumentException>(() =>
            table.Submit([new TableAction(TableActionKind.Add, "pk", "a", []), new TableAction(TableActionKind.UpsertReplace, "pk", "a", [])]));
        Assert.Throws<ArgumentException>(() => table.Submit([]));
        Assert.Equal((0, 0), table.Size());
        Assert.Empty(requests.Snapshot());

        table.Submit([.. Enumerable.Range(0, 100).Select(i => new TableAction(TableActionKind.Add, "pk", $"r{i:D3}", [1, 2]))]);
        Assert.Equal(100, table.Size().Rows);
        Assert.Equal(1, requests.Snapshot()[StorageRequests.Kinds.TableTransaction]);
        Assert.Equal(100, requests.TransactionOperations);
    }

    [Fact]
    public async Task Through_the_sdk_client_a_failed_transaction_names_the_action_and_its_status_as_the_service_does()
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
    public async Task Through_the_sdk_client_columns_come_back_as_written_and_bound_by_name_to_a_typed_row()
    {
        var at = new DateTimeOffset(2027, 1, 1, 2, 0, 0, TimeSpan.FromHours(1));
        await client.UpsertEntityAsync(new TableEntity("pk", "r")
        {
            ["FirstName"] = "é|\n'", ["Flag"] = true, ["Int"] = 7, ["Long"] = long.MaxValue, ["Double"] = 0.5, ["EnrolledAt"] = at,
            ["Id"] = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), ["Bytes"] = new byte[] { 0, 255 }, ["Empty"] = null,
        }, TableUpdateMode.Replace);

        var row = (await client.GetOrNullAsync<TableEntity>("pk", "r"))!;
        Assert.Equal(("é|\n'", true, 7, long.MaxValue, 0.5), (row.GetString("FirstName"), row.GetBoolean("Flag"), row.GetInt32("Int"),
            row.GetInt64("Long"), row.GetDouble("Double")));
        Assert.Equal((at, TimeSpan.Zero), (row.GetDateTimeOffset("EnrolledAt"), row.GetDateTimeOffset("EnrolledAt")!.Value.Offset));
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), row.GetGuid("Id"));
        Assert.Equal([0, 255], row.GetBinary("Bytes"));
        Assert.False(row.ContainsKey("Empty"));
        var profile = (await client.GetOrNullAsync<ProfileColumns>("pk", "r"))!;
        Assert.Equal(("é|\n'", at, row.ETag), (profile.FirstName, profile.EnrolledAt, profile.ETag));
    }

    [Fact]
    public async Task Through_the_sdk_client_a_query_reads_its_key_range_a_page_a_request_and_refuses_a_filter_it_cannot_run()
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
}
