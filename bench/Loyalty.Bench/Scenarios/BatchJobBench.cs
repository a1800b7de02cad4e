using Loyalty.Core.Application.Ports;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Globalization;
using Azure;
using Loyalty.Bench.Infra;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Events;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Repositories;
using Azure.Data.Tables;
using Loyalty.Storage.Queues;
using Loyalty.Storage.Tables;
using Loyalty.Storage.InMemory;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// What the batch-job scenarios (<see cref="NightlyScenario"/>, <see cref="FanOutScenario"/>) share: the calendar-year
/// members bulk-loaded into a program of their own, and the bound for a job over them (raw scan + batched write
/// time for the same number of entities), measured the same way for both, so their ratios compare.
/// </summary>
public static class BatchJobBench
{
    public const int Shards = 64;
    public const int Seed = 20_261_231;
    private const int LoadParallelism = 8;

    /// <summary>What the load's writes are stamped with: the year's last day, when the members look the way they were generated.</summary>
    public static readonly DateTimeOffset LoadedAt = new(2026, 12, 31, 12, 0, 0, TimeSpan.Zero);

    /// <param name="Baseline">Azurite's memory before loading: what the emulator held already is not the members'.</param>
    public sealed record Members(LoyaltyStorage Storage, IServiceProvider Services, LoadedProgram Program, CalendarYearMembers Generator, int Count,
        (long Resident, long Peak)? Baseline);

    /// <summary>Members to load: <c>--members</c>, or the scale's; both options checked.</summary>
    public static int MembersToLoad(BenchContext context, int? members, int parallelism)
    {
        var count = members ?? context.Scale.JobMembers;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(members));
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        return count;
    }

    /// <summary>
    /// The scenario's stores and services (every request counted by <paramref name="counter"/>, the services on
    /// <paramref name="time"/>), a calendar-year program with <see cref="Shards"/> shards, and <paramref name="count"/>
    /// members bulk-loaded through <see cref="MemberLoader"/> as they stand on 31 December 2026.
    /// </summary>
    public static async Task<Members> LoadAsync(
        BenchContext context, string scenario, string programId, int count, RequestCounter counter, TimeProvider? time, CancellationToken cancellationToken)
    {
        var report = context.Report;
        var (storage, services) = await context.ServicesAsync(context.Prefix(scenario), counter, time, cancellationToken);
        var created = await services.GetRequiredService<IProgramService>().CreateAsync(
            new CreateProgram { Definition = CalendarYearMembers.Definition(programId), Name = "Benchmark calendar year", Shards = Shards }, cancellationToken);
        if (!created.IsValid) throw new InvalidOperationException($"The program was refused: {string.Join("; ", created.Errors.Select(e => e.Message))}");
        var program = LoadedProgram.From(await services.GetRequiredService<IProgramStore>().GetAsync(programId, cancellationToken)
            ?? throw new InvalidOperationException($"Program '{programId}' was created but cannot be read."));
        var generator = new CalendarYearMembers(programId, Seed);

        var baseline = context.Azurite.Memory();
        var load = Stopwatch.StartNew();
        var loadCpu = context.Cpu.Start();
        await Ui.ProgressAsync($"loading {count:N0} members through IMemberStore.CommitManyAsync (c={LoadParallelism})", count, async progress =>
        {
            await MemberLoader.LoadAsync(services.GetRequiredService<IMemberStore>(), program, count, n => generator.Build(generator.PlanOf(n)),
                LoadedAt, LoadParallelism, progress, cancellationToken);
            return 0;
        }, "members");
        report.Detail(scenario, "loading", $"{count:N0} members in {load.Elapsed.TotalSeconds:0.0} s ({count / load.Elapsed.TotalSeconds:N0} members/s, " +
            $"c={LoadParallelism}; CPU {loadCpu.Stop()}): " +
            "per member its profile with the state and its review-index entry, no identities, operation records, history or ledger (no batch job reads them)");
        var members = new Members(storage, services, program, generator, count, baseline);
        report.Detail(scenario, "Azurite memory after loading", Memory(context, members));
        return members;
    }

    /// <summary>
    /// Requests of each kind and entity operations in transactions per unit of work (a member reviewed, a delivery), and
    /// where the job waited: each kind's share of the time its requests were in flight (summed over concurrent ones).
    /// </summary>
    public static string RequestsPer(RequestCounter counter, long units, string unit)
    {
        var times = counter.Times();
        var waited = Math.Max(times.Values.Sum(), 1e-9);
        return RequestsPer(counter.Snapshot(), counter.TransactionOperations, units, unit) +
            "; time in flight: " + string.Join(", ", times.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {100 * t.Value / waited:0} %"));
    }

    /// <summary>Requests of each kind and entity operations in transactions per unit of work.</summary>
    public static string RequestsPer(IReadOnlyDictionary<string, long> requests, long transactionOperations, long units, string unit)
    {
        var transactions = requests.GetValueOrDefault(StorageRequests.Kinds.TableTransaction);
        return string.Join(", ", requests.Select(kv => $"{kv.Key} {(double)kv.Value / units:0.###}")) +
            $"; {(double)transactionOperations / units:0.##} entity operations in transactions per {unit} " +
            $"({(transactions == 0 ? 0 : (double)transactionOperations / transactions):0.#} per transaction)";
    }

    /// <summary>Progress bar of a job: one of its counters (members reviewed, profiles scanned), as the runner reports each shard done.</summary>
    public sealed class Counter(IProgress<double> bar, string counter) : IProgress<JobStatus>
    {
        public void Report(JobStatus value) => bar.Report(value.Counts[counter]);
    }

    /// <summary>
    /// The measurement of a job over <see cref="Members.Count"/> members against the bound, its target (within
    /// 2× of the bound at 1M members; tiny runs say n/a), and the scenario's table.
    /// </summary>
    /// <param name="done">Members the job got through (its own counter, checked separately).</param>
    /// <param name="bound">From <see cref="BoundAsync"/>, written rows as many as the job changed members.</param>
    /// <param name="note">What else the row says, if anything: the time, shards, parallelism and the job's counts are there anyway.</param>
    /// <param name="entityOperations">Entity operations the job wrote in transactions (counted on the wire).</param>
    public static void Result(
        BenchContext context, string scenario, string name, int parallelism, Members members,
        long done, TimeSpan elapsed, CpuUse cpu, Bound bound, string? note, JobCounts counts,
        long entityOperations)
    {
        var seconds = elapsed.TotalSeconds;
        var rate = done / seconds;
        var boundRate = members.Count / bound.Seconds;
        context.Report.Add(new Measurement
        {
            Scenario = scenario, Name = name, Concurrency = parallelism, Value = rate, Unit = "members/s",
            Bound = boundRate, Operations = done, Seconds = seconds, Cpu = cpu,
            BoundBasis = string.Create(CultureInfo.InvariantCulture,
                $"{members.Count:N0} rows ÷ ({bound.Scan.Seconds:0.0} s raw scan + {bound.Write.Seconds:0.0} s raw 100-row transactions of " +
                    $"{bound.Write.Operations:N0} rows) in a table of {2 * members.Count:N0} rows"),
            Note = string.Create(CultureInfo.InvariantCulture,
                $"{seconds:0.0} s in all; {(note is null ? "" : note + "; ")}{Shards} shards, {parallelism} at once (the job runs in the benchmark's " +
                    $"process: its CPU is under bench); {counts}"),
        });
        var ratio = rate / boundRate;
        context.Report.Target(scenario, $"{scenario} within 2× of its bound (the target is at 1M members)",
            $"{ratio:0.00} ({rate:N0} of {boundRate:N0} members/s) at {members.Count:N0} members, {seconds:N0} s", context.Tiny ? null : ratio >= 0.5);
        // The bound writes one entity per member; the job writes several (its exactly-once records, outbox, index,
        // ledger). Against the same scan plus as many entity writes, the rest of the gap is the job's own overhead.
        var sameWork = bound.Scan.Seconds + entityOperations / bound.Write.Rate;
        context.Report.Detail(scenario, "entity for entity (not the target's measure)", string.Create(CultureInfo.InvariantCulture,
            $"the job wrote {entityOperations:N0} entities in transactions, {(double)entityOperations / members.Count:0.00} per member of the table; the " +
                $"bound's scan plus as many rows in its 100-row transactions takes {sameWork:0.0} s: the job ran at {sameWork / seconds:0.00} of that"));
        context.Report.Detail(scenario, "Azurite memory at the end (peak: over the whole run)", Memory(context, members));
        context.Report.Print(scenario);
    }

    /// <summary>The bound's two halves; its time is their sum.</summary>
    public sealed record Bound(RunResult Scan, RunResult Write)
    {
        public double Seconds => Scan.Seconds + Write.Seconds;
    }

    /// <summary>
    /// The bound, measured once the job is done and the scenario's tables are deleted (<paramref name="profileChars"/>
    /// taken from them before), in a table holding as many rows as the Members table did when the job started (a
    /// profile and an index entry per member, in as many partitions as shards): every profile row read once by shard in
    /// pages of 1,000, then <paramref name="written"/> of them, spread evenly over the shards, written back once in
    /// 100-row transactions under If-Match, both at the job's parallelism. Azurite filters and sorts a table's whole
    /// collection for every query page, so a page costs in proportion to the table's rows, and a smaller table would make
    /// a bound no implementation could reach at scale. With the scenario's tables gone, the emulator holds as much as
    /// during the job (its periodic save of the whole database costs in proportion too), and no more memory than the job needed.
    /// </summary>
    public static async Task<Bound> BoundAsync(
        BenchContext context, string scenario, int count, int written, int profileChars, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(written, count);
        var table = context.Account().GetTable(context.Prefix(scenario) + "Bound");
        await table.CreateIfNotExistsAsync(cancellationToken);
        await Ui.ProgressAsync($"bound: loading {count:N0} profile-sized rows of ~{profileChars:N0} characters and {count:N0} index-sized rows (100-row " +
            $"transactions, c={LoadParallelism})", 2.0 * count, async progress =>
        {
            var indexed = new Offset(progress, count);
            await SyntheticRows.LoadAsync(
                table, count, Shards, (pk, rk, n) => SyntheticRows.Profile(pk, $"p|{rk}", profileChars, n), LoadParallelism, progress, cancellationToken);
            await SyntheticRows.LoadAsync(table, count, Shards, (pk, rk, _) => new TableEntity(pk, $"n|{CalendarYearMembers.ReviewDate:yyyyMMdd}|{rk}"),
                LoadParallelism, indexed, cancellationToken);
            return 0;
        }, "rows");

        // Scan: every shard's profiles as one key range, pages of 1,000, keeping each row's ETag for the write.
        var etags = new List<(string RowKey, ETag ETag)>[Shards];
        var scan = await Ui.ProgressAsync($"bound: raw scan of the {count:N0} profile rows, by shard, {parallelism} shards at once", count, progress =>
            TimedAsync(context, parallelism, progress, async (shard, advance, ct) =>
            {
                var rows = etags[shard] = [];
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SyntheticRows.PartitionOf(shard)} and RowKey ge {"p|"} and RowKey lt {"p}"}");
                await foreach (var page in table.QueryAsync<TableEntity>(filter, 1000, cancellationToken: ct).AsPages())
                {
                    rows.AddRange(page.Values.Select(e => (e.RowKey, e.ETag)));
                    advance(page.Values.Count);
                }
                return rows.Count;
            }), "rows");
        if (scan.Operations != count) throw new InvalidOperationException($"The bound's scan read {scan.Operations:N0} profile rows, not {count:N0}.");

        // Row k of all (shards in order) is written when k × written ÷ count steps to the next whole number: exactly
        // `written` rows, as evenly spread as the job's matches, chosen before the clock starts.
        long k = 0;
        var chosen = new List<(string RowKey, ETag ETag)>[Shards];
        for (var shard = 0; shard < Shards; shard++)
        {
            chosen[shard] = [];
            foreach (var row in etags[shard])
            {
                if ((k + 1) * written / count > k * written / count) chosen[shard].Add(row);
                k++;
            }
        }

        var write = await Ui.ProgressAsync($"bound: raw 100-row transactions rewriting {written:N0} of the profile rows under " +
            $"If-Match, {parallelism} shards at once", written, progress =>
            TimedAsync(context, parallelism, progress, async (shard, advance, ct) =>
            {
                var partition = SyntheticRows.PartitionOf(shard);
                foreach (var chunk in chosen[shard].Chunk(100))
                {
                    await table.SubmitCheckedAsync([.. chunk.Select(r =>
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, SyntheticRows.Profile(partition, r.RowKey, profileChars, 1),
                            r.ETag))], ct);
                    advance(chunk.Length);
                }
                return chosen[shard].Count;
            }), "rows");
        await table.DeleteAsync(cancellationToken);

        foreach (var (name, run) in new[] { ("raw scan of profile-sized rows by shard, pages of 1,000", scan),
            ("raw 100-row transactions of profile-sized rows (If-Match replace)", write) })
        {
            context.Report.Add(new Measurement
            {
                Scenario = scenario, Name = name, Concurrency = parallelism, Value = run.Rate, Unit = "rows/s", Operations = run.Operations,
                Seconds = run.Seconds, Cpu = run.Cpu,
                Note = $"{run.Seconds:0.0} s; table of {2 * count:N0} rows in {Shards} partitions, half of them profile rows of ~{profileChars:N0} characters",
            });
        }
        return new Bound(scan, write);
    }

    /// <summary>Takes every message off the notifications queue: how many there were, and the notifications they held.</summary>
    public static async Task<(int Messages, IReadOnlyList<Notification> Notifications)> DrainNotificationsAsync(
        LoyaltyStorage storage, CancellationToken cancellationToken)
    {
        var queue = storage.NotificationsQueue;
        var (count, found) = (0, new List<Notification>());
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken)).Value is { Length: > 0 } messages)
        {
            count += messages.Length;
            found.AddRange(messages.SelectMany(m => LoyaltyJson.Deserialize<NotificationBatch>(m.DecodedBody().ToString()).Notifications));
            await Task.WhenAll(messages.Select(m => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, cancellationToken)));
        }
        return (count, found);
    }

    /// <summary>Average characters of the product's profile rows (string columns; the state's JSON is most of it).</summary>
    public static async Task<int> ProfileCharsAsync(LoyaltyStorage storage, CancellationToken cancellationToken)
    {
        var members = storage.Account.GetTable(storage.Names.Members);
        var page = await members.FirstPageAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {"p|"} and RowKey lt {"p}"}"),
            100, null, cancellationToken: cancellationToken);
        if (page.Values.Count > 0)
            // The SDK's entity also holds the keys, Timestamp and odata.etag: only the columns count, as before.
            return (int)page.Values.Average(row => row.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
                .Sum(p => p.Value is string text ? text.Length : 8));
        throw new InvalidOperationException("The Members table holds no profile rows.");
    }

    /// <summary>
    /// Every shard once, <paramref name="parallelism"/> at a time, timed as a whole. The shard's work reports rows done as
    /// it goes (its second argument) and returns its rows.
    /// </summary>
    private static async Task<RunResult> TimedAsync(
        BenchContext context, int parallelism, IProgress<double> progress, Func<int, Action<int>, CancellationToken, Task<int>> shard)
    {
        long rows = 0, done = 0;
        var sample = context.Cpu.Start();
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, Shards, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (s, ct) =>
        {
            var shardRows = await shard(s, n => progress.Report(Interlocked.Add(ref done, n)), ct);
            Interlocked.Add(ref rows, shardRows);
        });
        return new RunResult(rows, clock.Elapsed.TotalSeconds, LatencyStats.From([]), 0, null, sample.Stop());
    }

    private static string Memory(BenchContext context, Members members) =>
        context.Azurite.Memory() is { } now
            ? string.Create(CultureInfo.InvariantCulture,
                $"resident {now.Resident / 1024.0 / 1024 / 1024:0.00} GiB, {(now.Resident - (members.Baseline?.Resident ?? 0)) / 1024.0 / members.Count:N1} " +
                    $"KiB per member more than before loading; peak {now.Peak / 1024.0 / 1024 / 1024:0.00} GiB")
            : "not known (an Azurite given by --azurite)";

    /// <summary>Progress of a second half: the first half's total plus this one's.</summary>
    private sealed class Offset(IProgress<double> progress, double before) : IProgress<double>
    {
        public void Report(double value) => progress.Report(before + value);
    }
}
