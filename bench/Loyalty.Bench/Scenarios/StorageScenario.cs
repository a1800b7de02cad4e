using Loyalty.Storage.Queues;
using System.Diagnostics;
using Loyalty.Bench.Infra;
using Azure;
using Azure.Data.Tables;
using Loyalty.Storage.Tables;
using Spectre.Console;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// The raw bound: what Azurite answers through Loyalty.Storage with nothing of ours around it: single-entity point reads
/// and upserts, entity group transactions (receipt-sized and 100-row), a full scan, queue send and receive + delete.
/// </summary>
public static class StorageScenario
{
    public const string Name = "storage";
    public static readonly int[] Concurrencies = [1, 8, 32];

    private const int Partitions = 64;
    private const int ProfileChars = 1_500;

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        Ui.Heading("storage: the raw bound through Loyalty.Storage");
        var scale = context.Scale;
        var report = context.Report;
        var account = context.Account();
        var prefix = context.Prefix(Name);

        // Point reads and upserts: one table of profile-sized rows in 64 partitions (like the member shards).
        var points = account.GetTable(prefix + "Points");
        await points.CreateIfNotExistsAsync(cancellationToken);
        var load = await Ui.ProgressAsync($"loading {scale.PointRows:N0} profile-sized rows (100-row transactions, c=8)", scale.PointRows, progress =>
            Timed(() => SyntheticRows.LoadAsync(
                points, scale.PointRows, Partitions, (pk, rk, i) => SyntheticRows.Profile(pk, rk, ProfileChars, i), 8, progress, cancellationToken)));
        report.Detail(Name, "point-read table", $"{scale.PointRows:N0} rows of ~{ProfileChars:N0} characters in {Partitions} partitions, loaded at " +
            $"{scale.PointRows / load.TotalSeconds:N0} rows/s");

        foreach (var c in Concurrencies)
        {
            var run = await MeasureAsync(context, $"point read c={c}", c, async (caller, n, ct) =>
            {
                var (pk, rk) = SyntheticRows.KeyOf(Random.Shared.NextInt64(scale.PointRows), Partitions);
                _ = await points.GetOrNullAsync<TableEntity>(pk, rk, cancellationToken: ct)
                    ?? throw new InvalidOperationException($"Row {pk}/{rk} is missing.");
            }, cancellationToken);
            Add(report, "point read", c, run, "reads/s");
        }

        foreach (var c in Concurrencies)
        {
            var run = await MeasureAsync(context, $"upsert (merge) c={c}", c, async (caller, n, ct) =>
            {
                var (pk, rk) = SyntheticRows.KeyOf(Random.Shared.NextInt64(scale.PointRows), Partitions);
                await points.UpsertEntityAsync(new TableEntity(pk, rk) { ["Balance"] = n, ["Updated"] = DateTimeOffset.UtcNow }, TableUpdateMode.Merge, ct);
            }, cancellationToken);
            Add(report, "upsert (merge), single entity", c, run, "writes/s");
        }

        // Receipt-shaped transactions: 4 inserts + a profile update under If-Match.
        var small = account.GetTable(prefix + "SmallTx");
        await small.CreateIfNotExistsAsync(cancellationToken);
        foreach (var c in Concurrencies)
        {
            var shaped = new ShapedTransactions(small, 5, ProfileChars, 200);
            await shaped.PrepareAsync(c, cancellationToken);
            var run = await MeasureAsync(context, $"transaction of 5 c={c}", c, (caller, n, ct) => shaped.RunAsync(caller, n, ct), cancellationToken);
            Add(report, "transaction, 5 ops (4 inserts + If-Match update)", c, run, "tx/s", $"{run.Rate * 5:N0} entities/s");
        }

        // 100-row transactions, as batch jobs write.
        var big = account.GetTable(prefix + "BigTx");
        await big.CreateIfNotExistsAsync(cancellationToken);
        foreach (var c in new[] { 1, 8 })
        {
            var run = await MeasureAsync(context, $"transaction of 100 c={c}", c, async (caller, n, ct) =>
            {
                var partition = $"c{c:D2}s{caller:D2}";
                var actions = new List<TableTransactionAction>(100);
                for (var k = 0; k < 100; k++) actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                    SyntheticRows.Small(partition, $"{n:D7}|{k:D3}", 200)));
                await big.SubmitCheckedAsync(actions, ct);
            }, cancellationToken);
            report.Add(new Measurement
            {
                Scenario = Name, Name = "transaction, 100 inserts", Concurrency = c, Value = run.Rate * 100, Unit = "entities/s",
                LatencyMs = run.Latency, Operations = run.Operations, Seconds = run.Seconds, Cpu = run.Cpu, Errors = run.Errors,
                Note = $"{run.Rate:N1} tx/s" + (run.FirstError is null ? "" : $"; first error: {run.FirstError}"),
            });
        }

        // Full scan of a table of its own.
        var scan = account.GetTable(prefix + "Scan");
        await scan.CreateIfNotExistsAsync(cancellationToken);
        var scanLoad = await Ui.ProgressAsync($"loading {scale.ScanRows:N0} rows to scan (100-row transactions, c=8)", scale.ScanRows, progress =>
            Timed(() => SyntheticRows.LoadAsync(
                scan, scale.ScanRows, Partitions, (pk, rk, i) => SyntheticRows.Small(pk, rk, 200), 8, progress, cancellationToken)));
        report.Detail(Name, "scan table", $"{scale.ScanRows:N0} rows of ~200 characters, loaded at {scale.ScanRows / scanLoad.TotalSeconds:N0} rows/s " +
            "(100-row transactions at c=8)");
        var scans = new List<RunResult>();
        for (var round = 1; round <= 2; round++)
        {
            scans.Add(await Ui.ProgressAsync($"full scan {round} of 2", scale.ScanRows, async progress =>
            {
                var sample = context.Cpu.Start();
                var clock = Stopwatch.StartNew();
                long rows = 0;
                await foreach (var page in scan.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken).AsPages())
                {
                    rows += page.Values.Count;
                    progress.Report(rows);
                }

                if (rows != scale.ScanRows) throw new InvalidOperationException($"The scan returned {rows:N0} rows, not {scale.ScanRows:N0}.");
                return new RunResult(rows, clock.Elapsed.TotalSeconds, LatencyStats.From([]), 0, null, sample.Stop());
            }));
        }

        var best = scans.MaxBy(s => s.Rate)!;
        report.Add(new Measurement
        {
            Scenario = Name, Name = $"full scan of {scale.ScanRows:N0} rows, pages of 1,000", Concurrency = 1, Value = best.Rate, Unit = "entities/s",
            Operations = best.Operations, Seconds = best.Seconds, Cpu = best.Cpu,
            Note = $"best of 2 scans ({string.Join(", ", scans.Select(s => $"{s.Rate:N0}/s"))})",
        });

        await QueueAsync(context, prefix.ToLowerInvariant() + "-bench", cancellationToken);

        foreach (var table in new[] { points, small, big, scan })
            await table.DeleteAsync(cancellationToken);
        report.Print(Name);
    }

    /// <summary>Send <c>QueueDepth</c> messages, then receive (32 at a time) and delete them all: the stated depth falls to 0.</summary>
    private static async Task QueueAsync(BenchContext context, string name, CancellationToken cancellationToken)
    {
        var depth = context.Scale.QueueDepth;
        var queue = context.Account().GetQueue(name);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var body = BinaryData.FromString(SyntheticRows.Padding(1_000)); // about a 3-receipt loyalty.receipt.v1 message

        var send = await Ui.ProgressAsync($"queue send: {depth:N0} messages of 1 KB, c=8", depth, progress =>
            Load.CountAsync(depth, 8, async (i, ct) =>
            {
                await queue.SendBodyAsync(body, cancellationToken: ct);
                return 1;
            }, context.Cpu, progress, cancellationToken));
        Add(context.Report, "queue send, 1 KB", 8, send, "messages/s", $"depth 0 → {depth:N0}");

        // Four receivers, like a worker with room for 4 × 32; each deletes what it received, in parallel.
        var drain = await Ui.ProgressAsync($"queue receive 32 + delete: depth {depth:N0} → 0, 4 receivers", depth, async progress =>
        {
            long deleted = 0;
            var latencies = new List<double>();
            var sample = context.Cpu.Start();
            var clock = Stopwatch.StartNew();
            var receivers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Read(ref deleted) < depth)
                {
                    var began = Stopwatch.GetTimestamp();
                    var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(60), cancellationToken)).Value;
                    if (messages.Length == 0)
                    {
                        await Task.Delay(10, cancellationToken);
                        continue;
                    }

                    await Task.WhenAll(messages.Select(m => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, cancellationToken)));
                    lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                    progress.Report(Interlocked.Add(ref deleted, messages.Length));
                }
            }, cancellationToken)).ToArray();
            await Task.WhenAll(receivers);
            return new RunResult(deleted, clock.Elapsed.TotalSeconds, LatencyStats.From(latencies), 0, null, sample.Stop());
        });
        var remaining = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        Add(context.Report, "queue receive 32 + delete each", 4, drain, "messages/s",
            $"depth {depth:N0} → {remaining}; latency is per receive + its deletes; only this queue holds messages in this Azurite");
        await queue.DeleteIfExistsAsync(cancellationToken);
    }

    public static Task<RunResult> MeasureAsync(
        BenchContext context, string label, int concurrency, Func<int, long, CancellationToken, Task> operation,
            CancellationToken cancellationToken, TimeSpan? duration = null)
    {
        var measure = duration ?? context.Scale.Measure;
        return Ui.TimedAsync($"{label} ({context.Scale.Warmup.TotalSeconds:0.#} s warm-up + {measure.TotalSeconds:0.#} s)", progress =>
            Load.ClosedAsync(concurrency, context.Scale.Warmup, measure, operation, context.Cpu, progress, cancellationToken));
    }

    private static Measurement Add(Report report, string name, int concurrency, RunResult run, string unit, string? note = null) =>
        report.Add(new Measurement
        {
            Scenario = Name, Name = name, Concurrency = concurrency, Value = run.Rate, Unit = unit, LatencyMs = run.Latency,
            Operations = run.Operations, Seconds = run.Seconds, Cpu = run.Cpu, Errors = run.Errors,
            Note = string.Join("; ", new[] { note, run.FirstError is null ? null : $"first error: {run.FirstError}" }.Where(s =>
            s is not null)) is { Length: > 0 } n ? n : null,
        });

    private static async Task<TimeSpan> Timed(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed;
    }
}
