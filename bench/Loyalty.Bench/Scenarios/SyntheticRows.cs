using Azure;
using Azure.Data.Tables;
using Loyalty.Storage.Tables;

namespace Loyalty.Bench.Scenarios;

/// <summary>Rows and transactions shaped like the product's, written straight through Loyalty.Storage's TableClient.</summary>
public static class SyntheticRows
{
    /// <summary>A profile-like row: a few typed columns and a JSON-sized string.</summary>
    public static TableEntity Profile(string partitionKey, string rowKey, int chars, long n) => new(partitionKey, rowKey)
    {
        ["Name"] = "Astrid Andersson",
        ["Tier"] = "Bronze",
        ["Balance"] = n,
        ["QualifyingPoints"] = n * 3,
        ["Updated"] = DateTimeOffset.UtcNow,
        ["State"] = Padding(chars),
    };

    /// <summary>A small row, like a ledger or history row.</summary>
    public static TableEntity Small(string partitionKey, string rowKey, int chars) => new(partitionKey, rowKey)
    {
        ["Kind"] = "earn",
        ["Points"] = 123L,
        ["At"] = DateTimeOffset.UtcNow,
        ["Data"] = Padding(chars),
    };

    public static string Padding(int chars) => chars <= 0 ? "" : new string('x', chars);

    /// <summary>Loads <paramref name="rows"/> rows into <paramref name="partitions"/> partitions with 100-row transactions.</summary>
    public static async Task LoadAsync(TableClient table, int rows, int partitions, Func<string, string, long, TableEntity> make, int concurrency,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        // Row i goes to partition i % partitions; one transaction takes 100 consecutive rows of one partition.
        var perPartition = (rows + partitions - 1) / partitions;
        var batches = new List<(int Partition, int From, int To)>();
        for (var p = 0; p < partitions; p++)
        {
            for (var from = 0; from < perPartition; from += 100)
                batches.Add((p, from, Math.Min(from + 100, perPartition)));
        }

        long done = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (batch, ct) =>
        {
            var actions = new List<TableTransactionAction>(100);
            for (var k = batch.From; k < batch.To; k++)
            {
                var i = (long)k * partitions + batch.Partition;
                if (i >= rows) break;
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, make(PartitionOf(batch.Partition), RowOf(i), i)));
            }

            if (actions.Count > 0) await table.SubmitCheckedAsync(actions, ct);
            progress?.Report(Interlocked.Add(ref done, actions.Count));
        });
    }

    public static string PartitionOf(int partition) => $"p{partition:D4}";

    public static string RowOf(long i) => $"r{i:D9}";

    public static (string PartitionKey, string RowKey) KeyOf(long i, int partitions) => (PartitionOf((int)(i % partitions)), RowOf(i));
}

/// <summary>
/// Entity group transactions of a given shape, each in one of its caller's own partitions: <c>operations − 1</c> inserts
/// and an update of a profile row conditional on its ETag, exactly the pattern of a member operation (record, history and
/// ledger inserts, profile If-Match). A caller goes round <c>partitionsPerCaller</c> partitions, so that the rows are
/// spread over as many partitions as the product's are: Azurite finds a row by scanning its partition, so a row costs
/// more the larger its partition, and a bound in fewer partitions would slow down faster than the product as a run goes on.
/// </summary>
public sealed class ShapedTransactions(TableClient table, int operations, int profileChars, int rowChars, int partitionsPerCaller = 1)
{
    private ETag[,] etags = new ETag[0, 0];
    private long[] sequences = [];
    private string tag = "";

    public int Operations => operations;

    public async Task PrepareAsync(int callers, CancellationToken cancellationToken)
    {
        tag = Guid.NewGuid().ToString("N")[..6];
        etags = new ETag[callers, partitionsPerCaller];
        sequences = new long[callers];
        await Parallel.ForAsync(0, callers * partitionsPerCaller, cancellationToken, async (i, ct) =>
        {
            var (caller, slot) = (i / partitionsPerCaller, i % partitionsPerCaller);
            etags[caller, slot] = (await table.AddEntityAsync(SyntheticRows.Profile(Partition(caller, slot), "p", profileChars, 0), ct)).Headers.ETag!.Value;
        });
    }

    /// <summary>
    /// One transaction in one of <paramref name="caller"/>'s partitions; row keys come from a counter of its own, so runs
    /// and slices never collide.
    /// </summary>
    public async Task RunAsync(int caller, long ignored, CancellationToken cancellationToken)
    {
        var n = ++sequences[caller];
        var slot = (int)(n % partitionsPerCaller);
        var partition = Partition(caller, slot);
        var actions = new List<TableTransactionAction>(operations);
        for (var k = 0; k < operations - 1; k++)
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, SyntheticRows.Small(partition, $"r|{n:D9}|{k}", rowChars)));
        actions.Add(
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, SyntheticRows.Profile(partition, "p", profileChars, n), etags[caller, slot]));
        var result = await table.SubmitCheckedAsync(actions, cancellationToken);
        etags[caller, slot] = result.Value[^1].Headers.ETag ?? throw new InvalidOperationException("The profile update returned no ETag.");
    }

    private string Partition(int caller, int slot) => $"t{tag}c{caller:D3}s{slot:D4}";
}
