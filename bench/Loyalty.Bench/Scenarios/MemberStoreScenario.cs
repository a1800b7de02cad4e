using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using Azure.Data.Tables;
using Loyalty.Bench.Infra;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Storage.Repositories;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// The Members table's hot paths through the product's own stores, for the client's CPU per unit: the profile read (a
/// lookup's), a receipt (its profile read and its transaction of operation record, history row, two ledger rows and the
/// profile under If-Match), and the shard scans of the batch jobs (the review index range, the profile range). The
/// <c>storage</c> scenario measures the SDK on synthetic rows; this one measures the rows and entity shapes the stores use.
/// </summary>
public static class MemberStoreScenario
{
    public const string Name = "members";

    private const int Members = 5_000;

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        Ui.Heading("members: the Members table's hot paths through the product's stores");
        var report = context.Report;
        var programId = "bench-members";
        var loaded = await BatchJobBench.LoadAsync(context, Name, programId, Members, new RequestCounter(), null, cancellationToken);
        var (store, program) = (loaded.Services.GetRequiredService<IMemberStore>(), loaded.Program);
        var ids = Enumerable.Range(0, Members).Select(n => loaded.Generator.PlanOf(n).MemberId).ToArray();

        foreach (var c in StorageScenario.Concurrencies)
        {
            var run = await StorageScenario.MeasureAsync(context, $"profile read c={c}", c, async (caller, n, ct) =>
                _ = await store.GetAsync(program.Member(ids[Random.Shared.Next(ids.Length)]), ct)
                    ?? throw new InvalidOperationException("A loaded member is missing."), cancellationToken);
            Add(report, "profile read (IMemberStore.GetAsync)", c, run, "reads/s");
        }

        foreach (var c in new[] { 1, 8 })
        {
            var run = await StorageScenario.MeasureAsync(context, $"receipt c={c}", c, async (caller, n, ct) =>
            {
                // Each caller its own members, so no commit loses to another's.
                var key = program.Member(ids[(caller + (c * (int)(n % (Members / c)))) % Members]);
                var member = await store.GetAsync(key, ct) ?? throw new InvalidOperationException("A loaded member is missing.");
                var result = await store.CommitAsync(key, ReceiptWrite(member, caller, n), member.ConcurrencyToken, ct);
                if (result != CommitResult.Committed) throw new InvalidOperationException($"The receipt's commit answered {result}.");
            }, cancellationToken);
            Add(report, "receipt (profile read + 5-row commit)", c, run, "receipts/s");
        }

        // Not through the scenario's stores: their request counter copies every transaction's body.
        var uncounted = new ServiceCollection().AddLoyaltyStorage(context.Account(), LoyaltyResources.WithPrefix(context.Prefix(Name)))
            .BuildServiceProvider().GetRequiredService<IMemberStore>();
        await AllocationsAsync(context, uncounted, program, ids, cancellationToken);
        await EntityShapesAsync(context, cancellationToken);

        var reviews = loaded.Services.GetRequiredService<IReviewStore>();
        await ScanAsync(context, "review index scan (ListDueAsync, every shard), per row", async ct =>
        {
            long rows = 0;
            for (var shard = 0; shard < BatchJobBench.Shards; shard++)
                rows += (await reviews.ListDueAsync(programId, shard, CalendarYearMembers.ReviewDate, ct)).Count;
            return rows;
        }, cancellationToken);
        await ScanAsync(context, "profile scan (ListShardAsync, pages of 1,000, every shard), per row", async ct =>
        {
            long rows = 0;
            for (var shard = 0; shard < BatchJobBench.Shards; shard++)
            {
                string? after = null;
                do
                {
                    var page = await store.ListShardAsync(programId, shard, 1000, after, ct);
                    rows += page.Items.Count;
                    after = page.Next;
                }
                while (after is not null);
            }
            return rows;
        }, cancellationToken);

        await context.CleanUpAsync(loaded.Storage, cancellationToken);
        report.Print(Name);
    }

    /// <summary>
    /// Bytes the process allocates per receipt commit (building the rows, the SDK's transaction and its response), one
    /// commit at a time so nothing else runs meanwhile; the profile reads before each commit are outside the count, and so
    /// is building the write (the member service's part).
    /// </summary>
    private static async Task AllocationsAsync(
        BenchContext context, IMemberStore store, LoadedProgram program, string[] ids, CancellationToken cancellationToken)
    {
        const int warmUp = 50, measured = 400;
        long allocated = 0, committed = 0;
        var seconds = 0.0;
        for (var n = 0; n < warmUp + measured; n++)
        {
            var key = program.Member(ids[n % ids.Length]);
            var member = await store.GetAsync(key, cancellationToken) ?? throw new InvalidOperationException("A loaded member is missing.");
            var write = ReceiptWrite(member, 0, n);
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.GetTimestamp();
            var result = await store.CommitAsync(key, write, member.ConcurrencyToken, cancellationToken);
            var after = GC.GetTotalAllocatedBytes(precise: true);
            if (result != CommitResult.Committed) throw new InvalidOperationException($"The receipt's commit answered {result}.");
            if (n < warmUp) continue;
            (allocated, committed, seconds) = (allocated + after - before, committed + 1, seconds + Stopwatch.GetElapsedTime(clock).TotalSeconds);
        }
        context.Report.Add(new Measurement
        {
            Scenario = Name, Name = "receipt commit (5 rows), KiB allocated per commit", Concurrency = 1, Value = allocated / 1024.0 / committed, Unit = "KiB",
            Operations = committed, Seconds = seconds,
            Note = $"{committed} commits one at a time after {warmUp} to warm up, GC.GetTotalAllocatedBytes around IMemberStore.CommitAsync only",
        });
    }

    /// <summary>
    /// The SDK's allocations per transaction of five inserts with the same properties (a receipt's small rows), once as
    /// the dictionary <c>TableEntity</c> and once as a typed <c>ITableEntity</c>: whether typed write entities would
    /// make the receipt's transaction cheaper for the client.
    /// </summary>
    private static async Task EntityShapesAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var table = context.Account().GetTable(context.Prefix(Name) + "Shapes");
        await table.CreateIfNotExistsAsync(cancellationToken);
        var data = SyntheticRows.Padding(600);
        var shapes = new (string Name, Func<string, string, ITableEntity> Row)[]
        {
            ("TableEntity", (pk, rk) => new TableEntity(pk, rk) { ["Kind"] = "earn", ["Points"] = 123L, ["At"] = DateTimeOffset.UtcNow, ["Data"] = data }),
            ("typed ITableEntity",
                (pk, rk) => new TypedRow { PartitionKey = pk, RowKey = rk, Kind = "earn", Points = 123L, At = DateTimeOffset.UtcNow, Data = data }),
        };
        foreach (var (shape, row) in shapes)
        {
            const int warmUp = 50, measured = 400;
            long allocated = 0;
            for (var n = 0; n < warmUp + measured; n++)
            {
                var actions = Enumerable.Range(0, 5)
                    .Select(k => new TableTransactionAction(TableTransactionActionType.Add, row($"shape{shape.Length}", $"{n:D6}|{k}"))).ToList();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                await table.SubmitTransactionAsync(actions, cancellationToken);
                if (n >= warmUp) allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
            }
            context.Report.Add(new Measurement
            {
                Scenario = Name, Name = $"transaction of 5 inserts as {shape}, KiB allocated per transaction", Concurrency = 1,
                Value = allocated / 1024.0 / measured, Unit = "KiB", Operations = measured,
                Note = "the same four properties per row (string, Int64, DateTimeOffset, 600 characters), rows built before the count",
            });
        }
        await table.DeleteAsync(cancellationToken);
    }

    private sealed class TypedRow : ITableEntity
    {
        public string PartitionKey { get; set; } = "";
        public string RowKey { get; set; } = "";
        public DateTimeOffset? Timestamp { get; set; }
        public Azure.ETag ETag { get; set; }
        public string Kind { get; set; } = "";
        public long Points { get; set; }
        public DateTimeOffset At { get; set; }
        public string Data { get; set; } = "";
    }

    /// <summary>A purchase's write, shaped as the member service makes one: the member unchanged but for its activity.</summary>
    private static MemberWrite ReceiptWrite(StoredMember member, int caller, long n)
    {
        var at = DateTimeOffset.UtcNow;
        var memberId = member.Profile.MemberId;
        var operationId = $"bench-{caller}-{n}-{Guid.NewGuid():N}";
        var outcome = new Outcome
        {
            OperationId = operationId, MemberId = memberId, PointsEarned = 300, QualifyingPointsEarned = 300,
            Balance = member.State.Balance + 300, QualifyingPoints = member.State.QualifyingPoints + 300,
            TierBefore = member.State.Tier, TierAfter = member.State.Tier,
        };
        var on = DateOnly.FromDateTime(at.UtcDateTime);
        return new MemberWrite(member.Profile, member.State, member.Activity, at, member.ReviewOn,
            Operation: new OperationRecord(operationId, outcome),
            Ledger: [new LedgerEntry($"{memberId}/{operationId}/0", memberId, LedgerKind.Earned, on, operationId, 250, 250),
                new LedgerEntry($"{memberId}/{operationId}/1", memberId, LedgerKind.Earned, on, operationId, 50, 50)],
            Receipt: new ReceiptSummary(operationId, at, "store-1", "pos", 300m, "SEK", null, outcome));
    }

    /// <summary>Two scans, the quicker one reported: rows per second and CPU per row.</summary>
    private static async Task ScanAsync(BenchContext context, string name, Func<CancellationToken, Task<long>> scan, CancellationToken cancellationToken)
    {
        var runs = new List<RunResult>();
        for (var round = 1; round <= 2; round++)
        {
            runs.Add(await Ui.ProgressAsync($"{name}: {round} of 2", Members, async progress =>
            {
                var sample = context.Cpu.Start();
                var clock = Stopwatch.StartNew();
                var rows = await scan(cancellationToken);
                if (rows != Members) throw new InvalidOperationException($"The scan returned {rows:N0} rows, not {Members:N0}.");
                progress.Report(rows);
                return new RunResult(rows, clock.Elapsed.TotalSeconds, LatencyStats.From([]), 0, null, sample.Stop());
            }));
        }
        var best = runs.MaxBy(r => r.Rate)!;
        context.Report.Add(new Measurement
        {
            Scenario = Name, Name = name, Concurrency = 1, Value = best.Rate, Unit = "rows/s",
            Operations = best.Operations, Seconds = best.Seconds, Cpu = best.Cpu,
            Note = $"best of 2 scans ({string.Join(", ", runs.Select(r => $"{r.Rate:N0}/s"))})",
        });
    }

    private static void Add(Report report, string name, int concurrency, RunResult run, string unit) =>
        report.Add(new Measurement
        {
            Scenario = Name, Name = name, Concurrency = concurrency, Value = run.Rate, Unit = unit, LatencyMs = run.Latency,
            Operations = run.Operations, Seconds = run.Seconds, Cpu = run.Cpu, Errors = run.Errors, Note = run.FirstError is null
            ? null : $"first error: {run.FirstError}",
        });
}
