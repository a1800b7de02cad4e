using Loyalty.Core.Application;
using Microsoft.Extensions.DependencyInjection;
using Loyalty.Storage.Tables;
using Loyalty.Storage.Queues;
using Azure.Storage.Blobs.Models;
using Azure.Data.Tables;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Loyalty.Bench.Infra;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Receipts;
using Loyalty.HostProcess;
using Loyalty.Storage.Repositories;
using Spectre.Console;
using Loyalty.Storage.InMemory;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// Receipts through the whole local pipeline of the real local host: by HTTP (<c>POST /api/v1/receipts</c>, the web
/// shop's way) and by the receipts queue (<c>loyalty.receipt.v1</c> messages of several receipts, read by the host's
/// receipt worker, the POS's way). Receipts/s at full speed, and receipt-to-points-visible latency at a sustained half of
/// that. Bound: raw entity group transactions/s of the same shape as a receipt's (ops and bytes as counted on the
/// product's code path) ÷ transactions per receipt. At the end every member's qualifying points must equal what the
/// domain says its receipts earn, so a fast wrong run fails.
/// </summary>
public static class IngestScenario
{
    public const string Name = "ingest";
    private const int HttpConcurrency = 32;
    private const int CountedReceipts = 100;
    private const int CountedMessages = 5;
    private const int MaxQueueDepth = 32;
    /// <summary>The local host's receipts worker as the scenario runs it: with its defaults.</summary>
    private static readonly Loyalty.Local.Workers.ReceiptWorkerOptions Worker = new();

    /// <summary>Probe polling starts every 20 ms and backs off to a tenth of the time waited (at most 200 ms): ≤ 10 % error, bounded load.</summary>
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PollAtMost = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan VisibleWithin = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        Ui.Heading("ingest: receipts to points through the local host");
        var report = context.Report;
        var scale = context.Scale;
        var perMessage = Math.Clamp(context.ReceiptsPerMessage, 1, ReceiptMessage.MaxReceipts);
        var prefix = context.Prefix(Name);
        var seeding = new RequestCounter();
        var (storage, services) = await context.ServicesAsync(prefix, seeding, cancellationToken: cancellationToken);
        var host = await context.StartHostAsync(Name, prefix, null, cancellationToken);
        var probeMembers = context.Tiny ? 4 : 16;
        var population = await Population.SeedAsync(context, Name, services, seeding, Math.Max(scale.IngestMembers, probeMembers * 2), cancellationToken);
        var members = population.Members;
        var program = population.Program;
        var initial = await InitialQualifyingAsync(services, population, cancellationToken);
        var run = new Run(context.RunId, population, Baskets.PurchasedAt(program));

        // 1. What one receipt costs in storage requests, counted on the product's own code paths.
        var shape = await CountAsync(context, prefix, run, perMessage, cancellationToken);

        // 2. The bound: transactions of that shape, straight through Loyalty.Storage.
        var shaped = await CalibrateAsync(context, prefix, shape, population.Shards, cancellationToken);

        using var client = Http.Client(host.Address!, population.ApiKey);

        // Warm-up: the host's first receipts pay for JIT (twice, with tiering), connections and the API key's first read.
        // The worker's path shares most of it; its own part warms up in the queue phase's first messages. Their points count too.
        await Paired.WarmUpAsync(
            context, "POST /receipts", 8, (caller, n, ct) => PostAsync(client, run, members[Random.Shared.Next(members.Count)], ct), cancellationToken);
        await SettleAsync(client, run, cancellationToken);

        // 3. HTTP at full speed, in slices alternating with the bound's transactions.
        var (raw, http) = await Paired.InterleavedAsync(context,
            $"raw transactions of {shaped.Operations}", (caller, n, ct) => shaped.RunAsync(caller, n, ct),
            "POST /receipts", (caller, n, ct) => PostAsync(client, run, members[Random.Shared.Next(members.Count)], ct),
            HttpConcurrency, context.Scale.Slices, context.Scale.Slice * (context.Tiny ? 1 : 2), cancellationToken);
        await SettleAsync(client, run, cancellationToken);
        var bound = BoundOf(report, raw, shape, $"raw transactions of {shaped.Operations} (the bound)", "in slices alternating with the HTTP receipts");

        // 4. A second, explanatory bound: every storage request a receipt makes, each at its own raw rate.
        var httpMix = await RequestMixAsync(context, storage, prefix, shape, shape.PerReceipt, bound, "HTTP path", cancellationToken);
        Add(report, "receipts by HTTP, full speed", HttpConcurrency, http, bound, httpMix);

        // 5. HTTP at half of its full speed: the latency a web shop sees. Points are committed before the 200, so the response
        // time is the receipt-to-points-visible time.
        var (httpRate, httpRateNote) = LatencyRate(http.Rate);
        var httpHalf = await Ui.TimedAsync($"POST /receipts at {httpRate:N0}/s, {scale.IngestMeasure.TotalSeconds:0} s", progress =>
            Load.OpenAsync(httpRate, scale.IngestMeasure, 512,
                (n, ct) => PostAsync(client, run, members[Random.Shared.Next(members.Count)], ct), context.Cpu, progress, cancellationToken));
        Add(report, $"receipts by HTTP at {httpRate:N0}/s (latency)", null, httpHalf, bound, null,
            $"{httpRateNote}; latency from when each receipt was due to its 200 (points are committed before the response)");
        await SettleAsync(client, run, cancellationToken);

        RunResult? queueFull = null, queueHalf = null;
        (Bound Bound, MixBound Mix)? queueBounds = null;
        if (!context.HttpOnly)
        {
            // 6. The queue at full speed: a bounded producer keeps the queue shallow, as Azurite's queue limits ask (docs/benchmarks.md).
            queueFull = await QueueThroughputAsync(context, storage, run, perMessage, cancellationToken);
            // Its bounds are measured again right after it: the emulator's tables slow down as they grow, so bounds measured
            // before the HTTP phases would hold the queue, measured later, to a faster emulator than it ran on.
            var queueRaw = await StorageScenario.MeasureAsync(context, $"raw transactions of {shaped.Operations} c={HttpConcurrency}", HttpConcurrency,
                (caller, n, ct) => shaped.RunAsync(caller, n, ct), cancellationToken);
            var queueBound = BoundOf(report, queueRaw, shape, $"raw transactions of {shaped.Operations} (the queue's bound, right after its full speed)",
                "right after the queue's full speed");
            var queueMix = await RequestMixAsync(context, storage, prefix, shape, shape.QueuePerReceipt, queueBound, "queue path", cancellationToken);
            queueBounds = (queueBound, queueMix);
            Add(report, $"receipts by queue, {perMessage} per message, full speed", null, queueFull, queueBound, queueMix,
                $"first send to queue empty; producer keeps ≤ {MaxQueueDepth} messages queued; " +
                $"worker defaults ({Worker.Concurrency} messages at once, received up to 32 per call, {Worker.Parallelism} receipts each)");

            // 7. The queue at half its full speed: probe receipts, polled until their points are visible over HTTP.
            var (queueRate, queueRateNote) = LatencyRate(queueFull.Rate);
            queueHalf = await QueueLatencyAsync(context, storage, client, run, initial, perMessage, queueRate, probeMembers, cancellationToken);
            Add(report, $"receipts by queue at {queueRate:N0}/s (latency)", null, queueHalf, queueBound, null,
                $"{queueRateNote}; latency from sending a message to its probe receipt's points in GET /members/{{id}}, polled every " +
                    $"{PollEvery.TotalMilliseconds:0} ms, backing off to a tenth of the wait (≤ {PollAtMost.TotalMilliseconds:0} ms); at most " +
                        $"{probeMembers} probes in flight");
        }

        // 8. Totals: every member's qualifying points equal the domain's sum over its receipts.
        await DrainAsync(storage, cancellationToken);
        await SettleAsync(client, run, cancellationToken);
        await VerifyAsync(context, storage, services, run, initial, cancellationToken);

        report.Detail(Name, "host output (last lines)", string.Join(" | ", host.Lines.TakeLast(3)));
        // Every minute by default (Receipts:Worker:ReportInterval); a shorter interval through --host-env splits the runs.
        report.Detail(Name, "the receipts worker's reports still in the host output",
            string.Join(" | ", host.Lines.Where(l => l.Contains("Receipt worker, last", StringComparison.Ordinal))));
        foreach (var (what, perReceipt) in new[] { ("HTTP", shape.PerReceipt), ("queue", shape.QueuePerReceipt) })
        {
            var requests = perReceipt.Values.Sum();
            report.Target(Name, $"{what}: storage requests per receipt ≤ 4 (counted on the wire)", $"{requests:0.##}", requests <= 4);
        }
        var paths = new[] { ("HTTP", (RunResult?)http, ((Bound, MixBound)?)(bound, httpMix)), ("queue", queueFull, queueBounds) };
        foreach (var (what, m, (pathBound, mixBound)) in paths.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!, p.Item3!.Value)))
        {
            var ratio = m.Rate / pathBound.ReceiptsPerSecond;
            report.Target(Name, $"ingest by {what} ≥ 0.7 of bound", $"{ratio:0.00} ({m.Rate:N0} of {pathBound.ReceiptsPerSecond:N0} receipts/s)", context.Tiny
                ? null : ratio >= 0.7);
            var mixRatio = m.Rate / mixBound.ReceiptsPerSecond;
            report.Target(Name, $"ingest by {what} ≥ 0.9 of its request-mix bound", $"{mixRatio:0.00} ({m.Rate:N0} of " +
                $"{mixBound.ReceiptsPerSecond:N0} receipts/s)", context.Tiny ? null : mixRatio >= 0.9);
        }

        foreach (var (what, m, full) in new[] { ("HTTP", httpHalf, http), ("queue", queueHalf, queueFull) }.Where(p => p.Item2 is not null)
            .Select(p => (p.Item1, p.Item2!, p.Item3!)))
        {
            report.Target(Name, $"{what}: receipt-to-points-visible p99 < 1 s at half of full speed ({full.Rate / 2:N0}/s)",
                $"{m.Latency.P99:N0} ms at {m.Rate:N0} receipts/s", context.Tiny ? null : m.Latency.P99 < 1000 && m.Errors == 0);
        }

        await context.CleanUpAsync(storage, cancellationToken);
        await context.Account().GetTable(prefix + "BoundTx").DeleteAsync(cancellationToken);
        report.Print(Name);
    }

    /// <summary>
    /// Half of the pipeline's measured full speed: the latency of a sustained load, with room for bursts, and not of a
    /// backlog growing for the whole measurement. Half the bound would be that only while the pipeline reaches the bound;
    /// a pipeline at 0.52 of it would be measured at 0.96 of its own capacity, where any queue's wait grows without limit.
    /// </summary>
    private static (double Rate, string Note) LatencyRate(double fullSpeed) =>
        (Math.Max(1, fullSpeed / 2), $"half of full speed ({fullSpeed:N0}/s)");

    /// <summary>The receipts of one run: unique ids, one purchase time, and what each member should gain.</summary>
    private sealed class Run(string tag, Population population, DateTimeOffset purchasedAt)
    {
        private long next;

        public Population Population { get; } = population;

        public int Resent { get; set; }
        public Expected Expected { get; } = new();

        /// <summary>Receipts whose request failed (a timeout, a 503): maybe applied, maybe not. Resent until answered.</summary>
        public ConcurrentQueue<(BenchMember Member, PosReceipt Receipt, long Qualifying)> Uncertain { get; } = new();

        public (PosReceipt Receipt, long Qualifying) Next(BenchMember member)
        {
            var receipt = Baskets.Receipt(tag, Interlocked.Increment(ref next), member, purchasedAt);
            return (receipt, Baskets.Qualifying(Population.Program, receipt, member.MemberId));
        }

        public byte[] Message(IEnumerable<PosReceipt> receipts) =>
            WireJson.Bytes(new ReceiptMessage { Type = ReceiptMessage.MessageType, ProgramId = Population.ProgramId, Receipts = [.. receipts] });
    }

    private sealed record Shape(
        double RequestsPerReceipt, double TransactionsPerReceipt, double OperationsPerTransaction, double BytesPerTransaction,
        IReadOnlyDictionary<string, double> PerReceipt, IReadOnlyDictionary<string, double> QueuePerReceipt, int ReceiptBytes);

    /// <summary>Receipts/s if Azurite served every request of a receipt, one kind after another, each at its own raw rate.</summary>
    private sealed record MixBound(double ReceiptsPerSecond, string Basis);


    private sealed record Bound(double TransactionsPerSecond, int Concurrency, double ReceiptsPerSecond, string Basis);

    /// <summary>The receipts/s that raw transactions measured <paramref name="when"/> allow, reported as a measurement of its own.</summary>
    private static Bound BoundOf(Report report, RunResult raw, Shape shape, string name, string when)
    {
        report.Add(new Measurement
        {
            Scenario = Name, Name = name, Concurrency = HttpConcurrency, Value = raw.Rate, Unit = "tx/s", LatencyMs = raw.Latency,
            Operations = raw.Operations, Seconds = raw.Seconds, Cpu = raw.Cpu, Errors = raw.Errors, Note = raw.FirstError,
        });
        return new Bound(raw.Rate, HttpConcurrency, raw.Rate / Math.Max(shape.TransactionsPerReceipt, 1e-9),
            string.Create(CultureInfo.InvariantCulture,
                $"{raw.Rate:N0} raw tx/s (c={HttpConcurrency}, {when}) ÷ {shape.TransactionsPerReceipt:0.##} tx per receipt"));
    }

    private static async Task PostAsync(HttpClient client, Run run, BenchMember member, CancellationToken cancellationToken)
    {
        var (receipt, qualifying) = run.Next(member);
        try
        {
            await SendAsync(client, receipt, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The host may still apply it (a timeout) or not (a 503): SettleAsync resends it, and idempotency decides.
            run.Uncertain.Enqueue((member, receipt, qualifying));
            throw;
        }

        run.Expected.Add(member.MemberId, qualifying);
    }

    private static async Task SendAsync(HttpClient client, PosReceipt receipt, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync("/api/v1/receipts", Http.Json(WireJson.Bytes(receipt)), cancellationToken);
        using var json = await Http.ReadOkAsync(response, cancellationToken, System.Net.HttpStatusCode.OK);
        var status = json.RootElement.GetProperty("status").GetString();
        if (status != "applied") throw new InvalidOperationException($"Receipt {receipt.Id} came back '{status}', not 'applied'.");
    }

    /// <summary>
    /// Resends every receipt whose request failed until the host answers: applied once either way (the same receipt id
    /// returns the first outcome), so its points can then be expected. A receipt the host keeps refusing fails the run.
    /// </summary>
    private static async Task SettleAsync(HttpClient client, Run run, CancellationToken cancellationToken)
    {
        var count = run.Uncertain.Count;
        if (count == 0) return;
        AnsiConsole.MarkupLine($"[grey]resending {count} receipts whose request failed (idempotent: applied exactly once either way)[/]");
        while (run.Uncertain.TryDequeue(out var item))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await SendAsync(client, item.Receipt, cancellationToken);
                    run.Expected.Add(item.Member.MemberId, item.Qualifying);
                    break;
                }
                catch (Exception e) when (attempt < 5 && e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
                }
            }
        }

        run.Resent += count;
    }

    private static async Task<Dictionary<string, long>> InitialQualifyingAsync(IServiceProvider services, Population population,
        CancellationToken cancellationToken)
    {
        var initial = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var program = await services.ProgramAsync(population.ProgramId, cancellationToken);
        await Parallel.ForEachAsync(population.Members, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (member, ct) =>
        {
            var found = await services.GetRequiredService<IMemberService>().GetAsync(program, member.MemberId, ct);
            initial[member.MemberId] = found.IsValid
                ? found.Value.View.QualifyingPoints
                : throw new InvalidOperationException($"Member {member.MemberId} is missing.");
        });
        return new Dictionary<string, long>(initial, StringComparer.Ordinal);
    }

    /// <summary>Storage requests per receipt on both paths, counted on the product's services in this process.</summary>
    private static async Task<Shape> CountAsync(BenchContext context, string prefix, Run run, int perMessage, CancellationToken cancellationToken)
    {
        var report = context.Report;
        var counter = new RequestCounter();
        var (_, counted) = await context.ServicesAsync(prefix, counter, cancellationToken: cancellationToken);
        var members = run.Population.Members;

        async Task SubmitAsync(BenchMember member)
        {
            var (receipt, qualifying) = run.Next(member);
            // Resolved per receipt, as the HTTP edge does.
            var program = await counted.ProgramAsync(run.Population.ProgramId, cancellationToken);
            var result = await counted.GetRequiredService<IReceiptService>().SubmitAsync(program, receipt, WireJson.Bytes(receipt), cancellationToken);
            if (!result.IsValid || result.Value.Status != ReceiptStatus.Applied)
                throw new InvalidOperationException($"Receipt {receipt.Id} was not applied: " +
                    $"{(result.IsValid ? result.Value.Status.ToString() : string.Join("; ", result.Errors.Select(e => e.Message)))}");
            run.Expected.Add(member.MemberId, qualifying);
        }

        await SubmitAsync(members[0]); // loads the program cache
        counter.Reset();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < CountedReceipts; i++) await SubmitAsync(members[Random.Shared.Next(members.Count)]);
        report.Detail(Name, "stopwatch breakdown of one receipt by HTTP path (in-process IReceiptService.SubmitAsync, one at a time)",
            LookupScenario.Breakdown(counter, clock.Elapsed.TotalMilliseconds, CountedReceipts));
        var counts = counter.Snapshot();
        report.Rates(Name, "receipt by HTTP", counts, CountedReceipts, counter.TransactionOperations);
        var transactions = counts.GetValueOrDefault(StorageRequests.Kinds.TableTransaction);
        var shape = new Shape(
            (double)counts.Values.Sum() / CountedReceipts,
            (double)transactions / CountedReceipts,
            transactions == 0 ? 0 : (double)counter.TransactionOperations / transactions,
            transactions == 0 ? 0 : (double)counter.TransactionBytes / transactions,
            counts.ToDictionary(kv => kv.Key, kv => (double)kv.Value / CountedReceipts),
            new Dictionary<string, double>(),
            WireJson.Bytes(run.Next(members[0]).Receipt).Length);
        report.Detail(Name, "storage requests per receipt by HTTP (counted on IReceiptService.SubmitAsync, program cached)",
            $"{shape.RequestsPerReceipt:0.##} in all: " + string.Join(", ", shape.PerReceipt.Select(kv => $"{kv.Key} {kv.Value:0.##}")));
        report.Detail(Name, "a receipt's transaction",
            $"{shape.OperationsPerTransaction:0.##} operations, {shape.BytesPerTransaction / 1024:0.0} KiB of request body on average");

        // The queue path as the worker runs it: one receive of up to 32 messages, the message handler on each, its delete.
        // Sent uncounted (the POS's requests, not ours) to a queue of its own, so the host's worker does not take them.
        var sending = context.Account().GetQueue($"{prefix.ToLowerInvariant()}-count");
        await sending.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var batches = new List<List<(BenchMember Member, (PosReceipt Receipt, long Qualifying) Item)>>();
        for (var m = 0; m < CountedMessages; m++)
        {
            var batch = Enumerable.Range(0, perMessage).Select(_ => members[Random.Shared.Next(members.Count)])
                .Select(member => (member, run.Next(member))).ToList();
            await sending.SendBodyAsync(new BinaryData(run.Message(batch.Select(b => b.Item2.Receipt))), cancellationToken: cancellationToken);
            batches.Add(batch);
        }

        counter.Reset();
        clock.Restart();
        var handler = new ReceiptMessageHandler(counted.GetRequiredService<IReceiptService>(), counted.GetRequiredService<ProgramCache>());
        var receiving = context.Account(counter).GetQueue(sending.Name);
        var received = (await receiving.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken)).Value;
        if (received.Length != CountedMessages)
            throw new InvalidOperationException($"One receive returned {received.Length} of {CountedMessages} counted messages.");
        foreach (var message in received)
        {
            var verdict = await handler.HandleAsync(message.DecodedBody().ToMemory(), message.MessageId, 1, 8, cancellationToken);
            if (verdict.Action != MessageAction.Complete || verdict.Rejected.Count > 0)
                throw new InvalidOperationException($"A counted message was not completed: {verdict.Action} {verdict.Reason} " +
                    $"({verdict.Rejected.Count} rejected)");
            await receiving.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        foreach (var (member, item) in batches.SelectMany(b => b)) run.Expected.Add(member.MemberId, item.Qualifying);
        await sending.DeleteIfExistsAsync(cancellationToken);

        var queueCounts = counter.Snapshot();
        var receipts = CountedMessages * perMessage;
        // Counted on the wire, the worker's receive and deletes included: the capacity counts take them as they are.
        report.Rates(Name, "receipt by queue", queueCounts, receipts, counter.TransactionOperations);
        report.Detail(Name,
            "stopwatch breakdown per receipt by queue path (in-process: a receive, then ReceiptMessageHandler and the delete per message, " +
            "one message at a time, 8 receipts of it at once)",
            LookupScenario.Breakdown(counter, clock.Elapsed.TotalMilliseconds, receipts) +
            " (storage times overlap here: they add up to more than the wall time)");
        var queueShape = queueCounts.ToDictionary(kv => kv.Key, kv => (double)kv.Value / receipts);
        report.Detail(Name,
            $"storage requests per receipt by queue (counted on the wire: a receive of {CountedMessages} messages, ReceiptMessageHandler, " +
            $"a delete each; {perMessage} receipts per message)",
            $"{queueShape.Values.Sum():0.##} in all: " + string.Join(", ", queueShape.Select(kv => $"{kv.Key} {kv.Value:0.##}")));
        return shape with { QueuePerReceipt = queueShape };
    }

    /// <summary>Transactions shaped like a receipt's: as many operations, as many bytes (the padding calibrated on a few).</summary>
    private static async Task<ShapedTransactions> CalibrateAsync(BenchContext context, string prefix, Shape shape, int shards,
        CancellationToken cancellationToken)
    {
        var operations = Math.Max(2, (int)Math.Round(shape.OperationsPerTransaction));
        var account = context.Account();
        var table = account.GetTable(prefix + "BoundTx");
        await table.CreateIfNotExistsAsync(cancellationToken);

        var (profileChars, rowChars) = (1_000, 200);
        var calibration = new RequestCounter();
        var calibrated = context.Account(calibration).GetTable(table.Name);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            calibration.Reset();
            var probe = new ShapedTransactions(calibrated, operations, profileChars, rowChars);
            await probe.PrepareAsync(1, cancellationToken);
            for (var n = 0; n < 3; n++) await probe.RunAsync(0, n, cancellationToken);
            var bytes = (double)calibration.TransactionBytes / 3;
            var missing = shape.BytesPerTransaction - bytes;
            if (Math.Abs(missing) < 200) break;
            profileChars = Math.Max(100, profileChars + (int)(missing * 0.6));
            rowChars = Math.Max(20, rowChars + (int)(missing * 0.4 / Math.Max(1, operations - 1)));
        }

        // As many partitions as the program has shards, which is where its members' rows are: the bound's partitions
        // grow as the members' partitions do.
        var partitionsPerCaller = Math.Max(1, shards / HttpConcurrency);
        context.Report.Detail(Name, "bound transaction",
            $"{operations} operations ({operations - 1} inserts of ~{rowChars} characters + a profile update of ~{profileChars} characters under If-Match), " +
                $"calibrated to the real transaction's body size; each caller going round {partitionsPerCaller} partitions of its own " +
                    $"({partitionsPerCaller * HttpConcurrency:N0} in all, as many as the program's {shards} shards, the partitions of its members' rows)");
        var shaped = new ShapedTransactions(table, operations, profileChars, rowChars, partitionsPerCaller);
        await shaped.PrepareAsync(HttpConcurrency, cancellationToken);
        return shaped;
    }

    /// <summary>
    /// The raw rate of every kind of storage request a receipt makes (c=32, the rows and sizes a receipt uses), and
    /// from them the receipts/s Azurite could serve if it did nothing but those requests: 1 ÷ Σ (requests per receipt ÷
    /// raw rate). A ratio near 1 to this bound means the pipeline loses nothing beyond its storage requests.
    /// </summary>
    private static async Task<MixBound> RequestMixAsync(BenchContext context, LoyaltyStorage storage, string prefix, Shape shape,
        IReadOnlyDictionary<string, double> perReceipt, Bound bound, string path, CancellationToken cancellationToken)
    {
        var account = context.Account();
        var rates = new Dictionary<string, double> { [StorageRequests.Kinds.TableTransaction] = bound.TransactionsPerSecond };
        var kinds = perReceipt.Keys.ToHashSet();
        const int c = HttpConcurrency;

        async Task MeasureAsync(string kind, Func<int, long, CancellationToken, Task> operation)
        {
            var raw = await StorageScenario.MeasureAsync(context, $"raw {kind} c={c}", c, operation, cancellationToken);
            rates[kind] = raw.Rate;
            context.Report.Add(new Measurement
            {
                Scenario = Name, Name = $"raw {kind} (request mix, {path})", Concurrency = c, Value = raw.Rate, Unit = "requests/s", LatencyMs = raw.Latency,
                Operations = raw.Operations, Seconds = raw.Seconds, Cpu = raw.Cpu, Errors = raw.Errors, Note = raw.FirstError,
            });
        }

        if (kinds.Contains(StorageRequests.Kinds.TablePointRead))
        {
            var (identities, profiles) = await Keys(context, storage);
            var identityTable = account.GetTable(storage.Names.Identities);
            var memberTable = account.GetTable(storage.Names.Members);
            await MeasureAsync(StorageRequests.Kinds.TablePointRead, async (caller, n, ct) =>
            {
                var (rows, table) = n % 2 == 0 ? (identities, identityTable) : (profiles, memberTable);
                var (pk, rk) = rows[Random.Shared.Next(rows.Count)];
                _ = await table.GetOrNullAsync<TableEntity>(pk, rk, cancellationToken: ct) ?? throw new InvalidOperationException($"Row {pk}/{rk} is missing.");
            });
        }

        var scratch = account.GetTable(prefix + "MixRows");
        await scratch.CreateIfNotExistsAsync(cancellationToken);
        var inserted = new ConcurrentQueue<string>();
        if (kinds.Contains(StorageRequests.Kinds.TableInsert) || kinds.Contains(StorageRequests.Kinds.TableDelete))
        {
            await MeasureAsync(StorageRequests.Kinds.TableInsert, async (caller, n, ct) =>
            {
                var key = $"demo|c{caller:D2}-{n:D7}";
                await scratch.AddEntityAsync(new TableEntity(key, "") { ["MemberId"] = "abcdefghijkl", ["ClaimedAt"] = DateTimeOffset.UtcNow }, ct);
                inserted.Enqueue(key);
            });
        }

        if (kinds.Contains(StorageRequests.Kinds.TableDelete))
        {
            await MeasureAsync(StorageRequests.Kinds.TableDelete, async (caller, n, ct) =>
            {
                if (!inserted.TryDequeue(out var key)) throw new InvalidOperationException("No rows left to delete.");
                await scratch.DeleteEntityAsync(key, "", cancellationToken: ct);
            });
        }

        await scratch.DeleteAsync(cancellationToken);

        if (kinds.Contains(StorageRequests.Kinds.BlobWrite))
        {
            var container = account.GetContainer($"{prefix.ToLowerInvariant()}-mix");
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            var body = BinaryData.FromBytes(new byte[shape.ReceiptBytes]);
            await MeasureAsync(StorageRequests.Kinds.BlobWrite, (caller, n, ct) =>
                container.GetBlobClient($"demo/2026/11/23/c{caller:D2}-{n:D7}.json")
                    .UploadAsync(body, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, ct));
            await container.DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }

        if (kinds.Contains(StorageRequests.Kinds.QueueSend))
        {
            // A queue of its own, deleted at once: stored messages slow every queue of the emulator down.
            var queue = account.GetQueue($"{prefix.ToLowerInvariant()}-mix");
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            var body = BinaryData.FromBytes(new byte[400]);
            await MeasureAsync(StorageRequests.Kinds.QueueSend, (caller, n, ct) => queue.SendBodyAsync(body, cancellationToken: ct));
            await queue.DeleteIfExistsAsync(cancellationToken);
        }

        var modelled = perReceipt.Where(kv => rates.ContainsKey(kv.Key)).ToList();
        var seconds = modelled.Sum(kv => kv.Value / rates[kv.Key]);
        var missing = perReceipt.Keys.Where(k => !rates.ContainsKey(k)).ToList();
        var basis = string.Join(" + ", modelled.Select(kv =>
            string.Create(CultureInfo.InvariantCulture, $"{kv.Value:0.##} {kv.Key} ÷ {rates[kv.Key]:N0}/s")));
        var mix = new MixBound(1 / seconds, $"1 ÷ ({basis}){(missing.Count > 0 ? $"; not modelled: {string.Join(", ", missing)}" : "")}");
        context.Report.Detail(Name, $"request-mix bound, {path}", $"{mix.ReceiptsPerSecond:N0} receipts/s = {mix.Basis}");
        return mix;
    }

    /// <summary>The phone identity rows and profile rows of the scenario's members, as the receipt path reads them.</summary>
    private static async Task<(List<(string, string)> Identities, List<(string, string)> Profiles)> Keys(BenchContext context, LoyaltyStorage storage)
    {
        var account = context.Account();
        var identities = await LookupScenario.Keys(
            account.GetTable(storage.Names.Identities),
            TableClient.CreateQueryFilter($"PartitionKey ge {DemoProgram.Id + "|phone|"} and PartitionKey lt {DemoProgram.Id + "|phone}"}"),
            CancellationToken.None);
        var profiles = await LookupScenario.Keys(account.GetTable(storage.Names.Members),
            TableClient.CreateQueryFilter($"RowKey ge {"p|"} and RowKey lt {"p}"}"), CancellationToken.None);
        return (identities, profiles);
    }

    private static async Task<RunResult> QueueThroughputAsync(
        BenchContext context, LoyaltyStorage storage, Run run, int perMessage, CancellationToken cancellationToken)
    {
        var queue = storage.ReceiptsQueue;
        var messages = Math.Max(1, context.Scale.QueueReceipts / perMessage);
        var members = run.Population.Members;
        var depth = 0;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return await Ui.ProgressAsync($"queue: {messages * perMessage:N0} receipts in {messages:N0} messages of {perMessage}, until the queue is empty",
            messages, async progress =>
        {
            var sample = context.Cpu.Start();
            var clock = Stopwatch.StartNew();
            long sent = 0;
            var poller = Task.Run(async () =>
            {
                while (!watch.IsCancellationRequested)
                {
                    var count = (await queue.GetPropertiesAsync(watch.Token)).Value.ApproximateMessagesCount;
                    Volatile.Write(ref depth, count);
                    progress.Report(Math.Max(0, Interlocked.Read(ref sent) - count));
                    if (count == 0 && Interlocked.Read(ref sent) == messages) return clock.Elapsed;
                    await Task.Delay(50, watch.Token);
                }

                return clock.Elapsed;
            }, CancellationToken.None);

            var latencies = new List<double>();
            await Parallel.ForAsync(0, messages, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (m, ct) =>
            {
                while (Volatile.Read(ref depth) >= MaxQueueDepth) await Task.Delay(5, ct);
                Interlocked.Increment(ref depth);
                var batch = Enumerable.Range(0, perMessage).Select(_ => members[Random.Shared.Next(members.Count)])
                    .Select(member => (member, run.Next(member))).ToList();
                var began = Stopwatch.GetTimestamp();
                await queue.SendBodyAsync(new BinaryData(run.Message(batch.Select(b => b.Item2.Receipt))), cancellationToken: ct);
                lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                foreach (var (member, item) in batch) run.Expected.Add(member.MemberId, item.Qualifying);
                Interlocked.Increment(ref sent);
            });

            var finished = await poller.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
            return new RunResult(messages * perMessage, finished.TotalSeconds, LatencyStats.From([]), 0, null, sample.Stop());
        });
    }

    private static async Task<RunResult> QueueLatencyAsync(
        BenchContext context, LoyaltyStorage storage, HttpClient client, Run run,
        Dictionary<string, long> initial, int perMessage, double receiptsPerSecond, int probeMembers,
        CancellationToken cancellationToken)
    {
        var queue = storage.ReceiptsQueue;
        var members = run.Population.Members;
        var probes = new ConcurrentQueue<BenchMember>(members.Take(probeMembers));
        var others = members.Skip(probeMembers).ToList();
        var latencies = new List<double>();
        var sends = new List<double>();
        var afterSends = new List<double>();
        long lost = 0;
        string? firstError = null;
        var pollers = new ConcurrentBag<Task>();
        var messagesPerSecond = receiptsPerSecond / perMessage;

        var result = await Ui.TimedAsync($"queue at {receiptsPerSecond:N0} receipts/s, {context.Scale.IngestMeasure.TotalSeconds:0} s, " +
            "probe receipts polled over HTTP", progress =>
            Load.OpenAsync(messagesPerSecond, context.Scale.IngestMeasure, 64, async (n, ct) =>
            {
                var batch = new List<(BenchMember Member, (PosReceipt Receipt, long Qualifying) Item)>(perMessage);
                probes.TryDequeue(out var probe);
                if (probe is not null) batch.Add((probe, run.Next(probe)));
                while (batch.Count < perMessage)
                {
                    var member = others[Random.Shared.Next(others.Count)];
                    batch.Add((member, run.Next(member)));
                }

                // The probe's points once this receipt is in: it has no other receipt in flight.
                var target = probe is null ? 0 : initial[probe.MemberId] + run.Expected.Of(probe.MemberId) + batch[0].Item.Qualifying;
                var sentAt = Stopwatch.GetTimestamp();
                await queue.SendBodyAsync(new BinaryData(run.Message(batch.Select(b => b.Item.Receipt))), cancellationToken: ct);
                var queuedAt = Stopwatch.GetTimestamp();
                lock (sends) sends.Add(Stopwatch.GetElapsedTime(sentAt, queuedAt).TotalMilliseconds);
                foreach (var (member, item) in batch) run.Expected.Add(member.MemberId, item.Qualifying);
                if (probe is null) return;
                pollers.Add(Task.Run(async () =>
                {
                    try
                    {
                        while (true)
                        {
                            using var response = await client.GetAsync($"/api/v1/members/{probe.MemberId}", ct);
                            using var json = await Http.ReadOkAsync(response, ct);
                            if (json.RootElement.GetProperty("view").GetProperty("qualifyingPoints").GetInt64() >= target)
                            {
                                lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                                lock (afterSends) afterSends.Add(Stopwatch.GetElapsedTime(queuedAt).TotalMilliseconds);
                                return;
                            }

                            if (Stopwatch.GetElapsedTime(sentAt) > VisibleWithin) throw new TimeoutException($"Probe receipt for member {probe.MemberId} not " +
                                $"visible after {VisibleWithin.TotalSeconds:0} s.");
                            var waited = Stopwatch.GetElapsedTime(sentAt);
                            await Task.Delay(TimeSpan.FromTicks(Math.Clamp(waited.Ticks / 10, PollEvery.Ticks, PollAtMost.Ticks)), ct);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        if (Interlocked.Increment(ref lost) == 1) firstError = $"{e.GetType().Name}: {e.Message}";
                    }
                    finally
                    {
                        probes.Enqueue(probe);
                    }
                }, CancellationToken.None));
            }, context.Cpu, progress, cancellationToken));

        await Task.WhenAll(pollers);
        // A probe's latency in two parts: the emulator taking its message, and the rest (the worker's wait and work, the poll).
        var (sent, after) = (LatencyStats.From(sends), LatencyStats.From(afterSends));
        static string Spread(LatencyStats l) => string.Create(CultureInfo.InvariantCulture, $"{l.P50:0} / {l.P95:0} / {l.P99:0} / {l.Max:0} ms");
        context.Report.Detail(Name, $"queue at {receiptsPerSecond:N0} receipts/s: the send and after it",
            $"{sent.Samples:N0} messages sent in p50 / p95 / p99 / max {Spread(sent)}; a probe's points visible after its send completed in {Spread(after)}");
        var receipts = result.Operations * perMessage;
        return new RunResult(receipts, result.Seconds, LatencyStats.From(latencies), result.Errors + lost, result.FirstError ?? firstError, result.Cpu);
    }

    private static async Task DrainAsync(LoyaltyStorage storage, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while ((await storage.ReceiptsQueue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount > 0)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("The receipts queue did not drain within 5 minutes.");
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task VerifyAsync(BenchContext context, LoyaltyStorage storage, IServiceProvider services, Run run, Dictionary<string,
        long> initial, CancellationToken cancellationToken)
    {
        var population = run.Population;
        long wrong = 0, checkedMembers = 0;
        var examples = new ConcurrentBag<string>();
        var program = await services.ProgramAsync(population.ProgramId, cancellationToken);
        await Ui.ProgressAsync($"checking every member's qualifying points ({population.Members.Count:N0} members)", population.Members.Count, async progress =>
        {
            await Parallel.ForEachAsync(population.Members, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (member, ct) =>
            {
                var found = await services.GetRequiredService<IMemberService>().GetAsync(program, member.MemberId, ct);
                var actual = found.IsValid ? found.Value.View.QualifyingPoints : -1;
                var expected = initial[member.MemberId] + run.Expected.Of(member.MemberId);
                if (actual != expected)
                {
                    Interlocked.Increment(ref wrong);
                    if (examples.Count < 5) examples.Add($"{member.MemberId}: {actual:N0} instead of {expected:N0}");
                }

                progress.Report(Interlocked.Increment(ref checkedMembers));
            });
            return 0;
        });

        var receipts = run.Expected.Receipts;
        var points = run.Expected.Gained.Values.Sum();
        context.Report.Check(Name, "every member's qualifying points = initial + Σ domain-scored qualifying points of its receipts",
            wrong == 0 && receipts > 0,
            $"{receipts:N0} receipts, {points:N0} points over {population.Members.Count:N0} members; {wrong} wrong"
                + (examples.IsEmpty ? "" : $" (e.g. {string.Join(", ", examples)})"));
        var poisoned = (await storage.ReceiptsPoisonQueue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        context.Report.Check(Name, "nothing in the receipts poison queue", poisoned == 0, $"{poisoned} messages");
    }

    private static void Add(Report report, string name, int? concurrency, RunResult run, Bound bound, MixBound? mix, string? note = null) =>
        report.Add(new Measurement
        {
            Scenario = Name, Name = name, Concurrency = concurrency, Value = run.Rate, Unit = "receipts/s", LatencyMs = run.Latency,
            Bound = bound.ReceiptsPerSecond, BoundBasis = bound.Basis, Operations = run.Operations, Seconds = run.Seconds, Cpu = run.Cpu, Errors = run.Errors,
            Note = string.Join("; ", new[]
            {
                mix is null ? null : string.Create(CultureInfo.InvariantCulture,
                $"request-mix bound {mix.ReceiptsPerSecond:N0}/s, ratio {run.Rate / mix.ReceiptsPerSecond:0.00} ({mix.Basis})"),
                note,
                run.FirstError is null ? null : $"first error: {run.FirstError}",
            }.Where(s => s is not null)) is { Length: > 0 } n ? n : null,
        });
}
