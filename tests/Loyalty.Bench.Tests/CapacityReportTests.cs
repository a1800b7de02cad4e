using Loyalty.Bench;
using Loyalty.Bench.Capacity;
using Xunit;

namespace Loyalty.Bench.Tests;

public sealed class CapacityReportTests
{
    private static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Loyalty.Functions.sln"))) return folder.FullName;
        throw new InvalidOperationException("No repository root above the test's folder.");
    }

    [Fact]
    public async Task Docs_capacity_md_is_what_the_committed_results_and_figures_give()
    {
        var root = Root();
        var expected = await CapacityReport.RenderFilesAsync(root, CapacityReport.ResultsFiles(root), CapacityReport.FiguresFile(root));
        var committed = await File.ReadAllTextAsync(Path.Combine(root, "docs", "capacity.md"));
        Assert.True(expected == committed,
            "docs/capacity.md is not what its inputs give: run `dotnet run -c Release --project bench/Loyalty.Bench -- capacity` and commit the result.");
    }

    [Fact]
    public async Task The_bill_and_the_peak_follow_the_counts_and_prices_they_are_computed_from()
    {
        var root = Root();
        var figures = AzureFigures.Parse(await File.ReadAllTextAsync(CapacityReport.FiguresFile(root)));
        var rates = new Dictionary<string, double> { ["table transaction"] = 1, ["table point read"] = 2, [Report.TransactionEntities] = 5 };
        var none = new Dictionary<string, double>();
        var operations = new Dictionary<string, CapacityReport.Operation>
        {
            [CapacityReport.ReceiptByHttp] = new(CapacityReport.ReceiptByHttp, rates, "test"),
            [CapacityReport.ReceiptByQueue] = new(CapacityReport.ReceiptByQueue, rates, "test"),
            [CapacityReport.Lookup] = new(CapacityReport.Lookup, none, "test"),
            [CapacityReport.Nightly] = new(CapacityReport.Nightly, none, "test"),
            [CapacityReport.FanOut] = new(CapacityReport.FanOut, none, "test"),
        };
        Assert.Equal(3, operations[CapacityReport.ReceiptByHttp].Requests);
        Assert.Equal(7, operations[CapacityReport.ReceiptByHttp].Entities);

        // Table transactions: 3 per receipt, at the figures' price per 10,000; nothing else grows with receipts here.
        var small = CapacityReport.Bill(figures, operations, 0, 1_000_000);
        var large = CapacityReport.Bill(figures, operations, 0, 2_000_000);
        Assert.Equal(3 * 1_000_000 / 10_000.0 * figures["table-transactions-per-10k"], large.Storage - small.Storage, 9);
        Assert.True(large.Data > small.Data && large.Functions > small.Functions);
    }
}
