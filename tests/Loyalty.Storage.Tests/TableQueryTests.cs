using Loyalty.Storage.Tables;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests;

public sealed class TableQueryTests : AzuriteTest
{
    [Fact]
    public async Task A_filter_value_containing_a_quote_matches_exactly()
    {
        var table = await CreateTableAsync("quote");
        await table.InsertAsync(new TableEntity("p1", "a") { ["Phone"] = "+46'70" });
        await table.InsertAsync(new TableEntity("p1", "b") { ["Phone"] = "+4670" });
        await table.InsertAsync(new TableEntity("p1", "c") { ["Phone"] = "+46'70' or 'x' eq 'x" });

        var phone = "+46'70";
        var found = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p1"} and Phone eq {phone}")).ToListAsync();

        Assert.Equal("a", Assert.Single(found).RowKey);
    }

    [Fact]
    public async Task Row_key_ranges_and_typed_comparisons_filter_on_the_server()
    {
        var table = await CreateTableAsync("range");
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 6; i++)
        {
            await table.InsertAsync(new TableEntity("p1", $"r|{i}") { ["Points"] = 1000L * i, ["At"] = start.AddDays(i) });
        }

        var from = "r|1";
        var to = "r|5";
        var found = await table.QueryAsync(TableFilter.Create(
            $"PartitionKey eq {"p1"} and RowKey ge {from} and RowKey lt {to} and Points gt {1000L} and At lt {start.AddDays(4)}")).ToListAsync();

        Assert.Equal(["r|2", "r|3"], found.Select(e => e.RowKey));
    }

    [Fact]
    public async Task Select_returns_only_the_named_properties()
    {
        var table = await CreateTableAsync("select");
        await table.InsertAsync(new TableEntity("p1", "m1") { ["Name"] = "Ada", ["Tier"] = "Gold", ["Points"] = 5L });

        var queried = Assert.Single(await table.QueryAsync(select: ["Name", "Points"]).ToListAsync());
        var got = (await table.GetEntityAsync("p1", "m1", ["Tier"]))!;

        Assert.Equal(["Name", "Points"], queried.Keys.Order());
        Assert.Equal(5L, queried.GetInt64("Points"));
        Assert.NotEqual(default, queried.ETag);
        Assert.Equal(["Tier"], got.Keys);
        Assert.Equal(("p1", "m1"), (got.PartitionKey, got.RowKey));
    }

    [Fact]
    public async Task Top_limits_the_page_and_hands_back_a_continuation()
    {
        var table = await CreateTableAsync("top");
        for (var i = 0; i < 5; i++)
        {
            await table.InsertAsync(new TableEntity("p1", $"r{i}"));
        }

        var pages = await table.QueryPagesAsync(pageSize: 2).ToListAsync();

        Assert.Equal([2, 2, 1], pages.Select(p => p.Entities.Count));
        Assert.NotNull(pages[0].Continuation);
        Assert.Null(pages[^1].Continuation);
        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], pages.SelectMany(p => p.Entities).Select(e => e.RowKey));
    }

    [Fact]
    public async Task Five_thousand_entities_page_by_at_most_a_thousand_and_resume_from_a_saved_continuation()
    {
        const int Total = 5000;
        var table = await CreateTableAsync("paging");
        var rowKeys = Enumerable.Range(0, Total).Select(i => $"m|{i:D5}").ToArray();
        foreach (var chunk in rowKeys.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(rk => TableTransactionAction.Insert(new TableEntity("p1", rk) { ["N"] = rk })).ToList());
        }

        // Take bounds the loop: a continuation that fails to advance would otherwise page forever.
        var pages = await table.QueryPagesAsync(TableFilter.Create($"PartitionKey eq {"p1"}")).Take(50).ToListAsync();

        Assert.All(pages, page => Assert.InRange(page.Entities.Count, 0, 1000));
        Assert.True(pages.Count >= 5);
        Assert.Equal(rowKeys, pages.SelectMany(p => p.Entities).Select(e => e.RowKey));

        // Resume after the second page from the token's string form, as a restarted job would.
        var saved = pages[1].Continuation!.ToString();
        var resumed = await table.QueryPagesAsync(TableFilter.Create($"PartitionKey eq {"p1"}"), from: TableContinuation.Parse(saved)).Take(50).ToListAsync();
        var before = pages[0].Entities.Count + pages[1].Entities.Count;

        Assert.Equal(rowKeys[before..], resumed.SelectMany(p => p.Entities).Select(e => e.RowKey));
    }

    [Fact]
    public void Continuation_tokens_survive_their_string_form()
    {
        var continuation = new TableContinuation("1!8!cGs- x", "1!12!cm|k=");

        Assert.Equal(continuation, TableContinuation.Parse(continuation.ToString()));
        Assert.Equal(new TableContinuation("only", null), TableContinuation.Parse(new TableContinuation("only", null).ToString()));
    }
}
