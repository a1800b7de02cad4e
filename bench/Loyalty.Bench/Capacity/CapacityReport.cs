using System.Globalization;
using System.Text;
using System.Text.Json;
using Loyalty.Storage.InMemory;

namespace Loyalty.Bench.Capacity;

/// <summary>One limit, price or workload figure of bench/capacity/azure.json, with where it comes from.</summary>
public sealed record Figure(string Id, double Value, string Unit, string Source, string Read, bool Assumed, string? Note = null);

public sealed record AzureFigures(string Currency, string Note, List<Figure> Limits, List<Figure> Prices, List<Figure> Workload)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AzureFigures Parse(string json) =>
        JsonSerializer.Deserialize<AzureFigures>(json, Json) ?? throw new InvalidDataException("The figures file is empty.");

    public double this[string id] => All.FirstOrDefault(f => f.Id == id)?.Value ?? throw new KeyNotFoundException($"The figures file has no '{id}'.");

    public IEnumerable<Figure> All => Limits.Concat(Prices).Concat(Workload);
}

/// <summary>
/// docs/capacity.md, computed: the storage requests counted per operation (from benchmark results files) and the
/// figures of bench/capacity/azure.json, nothing else; the same inputs give the same text byte for byte.
/// </summary>
public static class CapacityReport
{
    public const string ReceiptByHttp = "receipt by HTTP";
    public const string ReceiptByQueue = "receipt by queue";
    public const string Lookup = "lookup";
    public const string Nightly = "nightly review, per member";
    public const string FanOut = "campaign fan-out, per delivery";

    private static readonly int[] Members = [100_000, 1_000_000, 5_000_000];
    private static readonly int[] ReceiptsPerDay = [10_000, 100_000, 1_000_000];
    private static readonly string[] TableWrites = [StorageRequests.Kinds.TableInsert, StorageRequests.Kinds.TableUpdate, StorageRequests.Kinds.TableDelete];

    /// <summary>What one unit of an operation costs in requests, by kind, and where the count comes from.</summary>
    public sealed record Operation(string Name, IReadOnlyDictionary<string, double> PerUnit, string Source)
    {
        private double Kind(string kind) => PerUnit.GetValueOrDefault(kind);

        public double Requests => PerUnit.Where(kv => kv.Key is not (Report.TransactionEntities or Report.EntitiesRead)).Sum(kv => kv.Value);

        public double Table => PerUnit.Where(kv => kv.Key.StartsWith("table ", StringComparison.Ordinal) && kv.Key != Report.EntitiesRead).Sum(kv => kv.Value);

        public double Queue => PerUnit.Where(kv => kv.Key.StartsWith("queue ", StringComparison.Ordinal)).Sum(kv => kv.Value);

        public double BlobWrites => Kind("blob write");

        public double BlobReads => PerUnit.Where(kv => kv.Key.StartsWith("blob ", StringComparison.Ordinal) && kv.Key != "blob write").Sum(kv => kv.Value);

        /// <summary>
        /// Entities touched, what the partition target counts: written in transactions, written singly, and read (counted
        /// where the store counts rows; otherwise one per point read and per query page, a floor).
        /// </summary>
        public double Entities => Kind(Report.TransactionEntities) + TableWrites.Sum(Kind) +
            (PerUnit.TryGetValue(Report.EntitiesRead, out var read)
                ? read
                : Kind(StorageRequests.Kinds.TablePointRead) + Kind(StorageRequests.Kinds.TableQuery));
    }

    /// <summary>Each operation from the last results file (in the order given) that counted it, its last count there (the largest run).</summary>
    public static IReadOnlyDictionary<string, Operation> Operations(IReadOnlyList<(string Name, Report Report)> results)
    {
        var found = new Dictionary<string, Operation>(StringComparer.Ordinal);
        foreach (var (name, report) in results)
        {
            foreach (var group in report.Requests.GroupBy(r => (r.Scenario, r.Operation)))
            {
                // Several runs of one scenario (10k, 100k, 1M) record the operation once each, in order: the last is the largest.
                var rates = group.GroupBy(r => r.Kind).ToDictionary(k => k.Key, k => k.Last().PerUnit, StringComparer.Ordinal);
                var source = $"`{name}` ({group.Key.Scenario}, {report.Info.Date}, commit {report.Info.Commit})";
                found[group.Key.Operation] = new Operation(group.Key.Operation, rates, source);
            }
        }
        foreach (var needed in new[] { ReceiptByHttp, ReceiptByQueue, Lookup, Nightly, FanOut })
            if (!found.ContainsKey(needed))
            {
                throw new InvalidDataException($"No results file counted the requests of '{needed}'; run the scenario that does " +
                    "(docs/capacity.md says which) with --json into bench/capacity/results/.");
            }
        return found;
    }

    /// <summary>
    /// The default inputs: every results file in bench/capacity/results/ (runs written with --json, kept there as the inputs),
    /// in name order.
    /// </summary>
    public static List<string> ResultsFiles(string root) =>
        [.. Directory.GetFiles(Path.Combine(root, "bench", "capacity", "results"), "*.json").Order(StringComparer.Ordinal)];

    public static string FiguresFile(string root) => Path.Combine(root, "bench", "capacity", "azure.json");

    /// <summary>The report from results files and the figures file, named relative to the repository root <paramref name="root"/>.</summary>
    public static async Task<string> RenderFilesAsync(string root, IReadOnlyList<string> resultsFiles, string figuresFile)
    {
        var results = new List<(string, Report)>();
        foreach (var file in resultsFiles) results.Add((Path.GetRelativePath(root, file).Replace('\\', '/'), await Report.ReadJsonAsync(file)));
        return Render(results, Path.GetRelativePath(root, figuresFile).Replace('\\', '/'), AzureFigures.Parse(await File.ReadAllTextAsync(figuresFile)));
    }

    public static string Render(IReadOnlyList<(string Name, Report Report)> results, string figuresName, AzureFigures f)
    {
        var ops = Operations(results);
        var (http, queue, lookup, nightly, fanout) = (ops[ReceiptByHttp], ops[ReceiptByQueue], ops[Lookup], ops[Nightly], ops[FanOut]);
        var httpShare = f["http-share"];
        var lookups = f["lookups-per-receipt"];
        var shards = f["shards"];
        var (accountLimit, partitionLimit) = (f["account-requests-per-second"], f["partition-entities-per-second"]);
        double Mix(Func<Operation, double> of) => httpShare * of(http) + (1 - httpShare) * of(queue) + lookups * of(lookup);
        var requestsPerReceipt = Mix(o => o.Requests);
        var entitiesPerReceipt = Mix(o => o.Entities);
        var peakPerDay = f["black-friday-factor"] * f["peak-hour-share"] / 3600;

        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        string N(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

        Line("# Capacity");
        Line();
        Line("<!-- Written by `dotnet run -c Release --project bench/Loyalty.Bench -- capacity`: do not edit; change its inputs and run it again. -->");
        Line();
        Line("What a program of N members and R receipts a day asks of Azure Storage, how long its batch jobs take at the");
        Line("least, and what it costs a month: computed from the storage requests the benchmark **counted** per operation");
        Line($"and from the limits and prices in `{figuresName}` (each with its source and the day it was read). Figures marked");
        Line("*assumed* there could not be read from an official page here and are shown in italics below: check them before relying on a bill.");
        Line();
        Line("## Inputs");
        Line();
        Line("Storage requests per operation, counted by the benchmark (`--json` results kept in `bench/capacity/results/`; the receipt and lookup");
        Line("counts come from the `ingest` and `lookup` scenarios on Azurite, the batch jobs' from `nightly-mem` and `fanout-mem`, the");
        Line("largest run, on the in-memory ports, which count requests as the Table, Queue and Blob stores send them):");
        Line();
        Line("| operation | requests | of them table | queue | blob | entities touched (partition targets) | counted in |");
        Line("|---|--:|--:|--:|--:|--:|---|");
        foreach (var op in new[] { http, queue, lookup, nightly, fanout })
            Line($"| {op.Name} | {N(op.Requests, "0.###")} | {N(op.Table, "0.###")} | {N(op.Queue, "0.###")} | " +
                $"{N(op.BlobWrites + op.BlobReads, "0.###")} | {N(op.Entities, "0.###")} | {op.Source} |");
        Line();
        Line($"A receipt here is the mix the figures file sets: {N(httpShare * 100)} % by HTTP, the rest by queue, " +
            $"and {N(lookups, "0.#")} till lookup per receipt:");
        Line($"**{N(requestsPerReceipt, "0.##")} storage requests and {N(entitiesPerReceipt, "0.##")} entities per receipt**. " +
            "Entities written in an entity group");
        Line("transaction count one each toward the partition target; the account target counts requests.");
        Line();
        Line("| figure | value | source | read |");
        Line("|---|--:|---|---|");
        foreach (var figure in f.All)
        {
            var value = figure.Assumed ? $"*{N(figure.Value, "0.######")} (assumed)*" : N(figure.Value, "0.######");
            Line($"| {figure.Id}: {figure.Unit}{(figure.Note is null ? "" : $" ({figure.Note})")} | {value} | {figure.Source} | {figure.Read} |");
        }
        Line();

        Line("## Peak load against the storage account's targets");
        Line();
        Line($"Black Friday at {N(f["black-friday-factor"])}× a normal day, {N(f["peak-hour-share"] * 100)} % of the day's receipts " +
            "in its busiest hour. Receipts spread over");
        Line($"the {N(shards)} member partitions by their member's hash, so one partition takes 1/{N(shards)} of the entities. " +
            "The member count does not change");
        Line("the peak (a receipt's requests do not depend on it); it sets the batch jobs below.");
        Line();
        Line("| receipts a day | peak receipts/s | storage requests/s | of the account's 20,000/s | entities/s per partition | of the partition's 2,000/s |");
        Line("|--:|--:|--:|--:|--:|--:|");
        foreach (var receipts in ReceiptsPerDay)
        {
            var perSecond = receipts * peakPerDay;
            var requests = perSecond * requestsPerReceipt;
            var perPartition = perSecond * entitiesPerReceipt / shards;
            Line($"| {N(receipts)} | {N(perSecond, "N1")} | {N(requests)} | {N(requests / accountLimit * 100, "0.#")} % | " +
                $"{N(perPartition, "N1")} | {N(perPartition / partitionLimit * 100, "0.#")} % |");
        }
        var maxByAccount = accountLimit / (requestsPerReceipt * peakPerDay);
        var maxByPartition = partitionLimit * shards / (entitiesPerReceipt * peakPerDay);
        Line();
        Line($"**Where one storage account is outgrown:** at about **{N(maxByAccount)} receipts a normal day** the Black Friday peak reaches the account's");
        Line($"20,000 requests/s; the partitions would last to {N(maxByPartition)} a day with {N(shards)} shards. " +
            "Past that a program's members have to be split over");
        Line("storage accounts: the member partitions are already independent (every write is one partition's transaction, every job");
        Line("works shard by shard), so a program's shards can be mapped to several accounts (shard → account, fixed like the shard count),");
        Line("or, simpler, whole programs placed on accounts of their own. The batch jobs' night and the receipts' day share an account,");
        Line("so a calendar-year night that falls on a busy day adds to the same budget.");
        Line();

        Line("## The batch jobs' least time");
        Line();
        Line($"The nightly review on a calendar year's last night (every member due) and a campaign to {N(f["campaign-share"] * 100)} % " +
            "of the members: their storage requests");
        Line($"at the account's 20,000/s, and their entities over {N(shards)} partitions at 2,000/s each; the job takes at least the longer.");
        Line();
        Line("The page states the account's target in transactions; if it counted the entities of a transaction one by one, the last column");
        Line("of each job would be its least time instead.");
        Line();
        Line("| members | nightly: requests | entities | least time | if entities counted " +
            "| campaign: deliveries | requests | entities | least time | if entities counted |");
        Line("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var members in Members)
        {
            var deliveries = members * f["campaign-share"];
            string Least(double requests, double entities) => Duration(Math.Max(requests / accountLimit, entities / (partitionLimit * shards)));
            Line($"| {N(members)} | {N(members * nightly.Requests)} | {N(members * nightly.Entities)} | " +
                $"{Least(members * nightly.Requests, members * nightly.Entities)} | " +
                $"{Duration(members * nightly.Entities / accountLimit)} | {N(deliveries)} | {N(deliveries * fanout.Requests)} | " +
                $"{N(deliveries * fanout.Entities)} | " +
                $"{Least(deliveries * fanout.Requests, deliveries * fanout.Entities)} | {Duration(deliveries * fanout.Entities / accountLimit)} |");
        }
        Line();
        Line("These are the storage's limits, not the jobs' speed: on Azure the jobs' shards run in waves of activities, each shard's");
        Line("transactions one after another, so the time also depends on how many shards run at once and on each request's latency.");
        Line();

        Line("## A month's bill");
        Line();
        Line($"Storage transactions (an entity group transaction billed as one), queue and blob operations, Service Bus Standard for the");
        Line($"receipts queue ({N(f["receipts-per-message"])} receipts a message), " +
            $"Flex Consumption execution ({N(f["instance-memory-gb"])} GB instances, billed while");
        Line("executing: the measured CPU per operation), Durable Functions' own storage traffic, and the data kept (a year of receipts).");
        Line($"A member is reviewed {N(f["reviews-per-member-month"])}× a month; {N(f["campaigns-per-month"])} campaigns a month. " +
            $"{f.Currency}, list prices, no free grants.");
        Line();
        Line("| members | receipts a day | storage transactions | Service Bus | Functions | data kept | a month |");
        Line("|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var members in Members)
        {
            foreach (var receipts in ReceiptsPerDay)
            {
                var bill = Bill(f, ops, members, receipts * 30.0);
                Line($"| {N(members)} | {N(receipts)} | {N(bill.Storage, "N2")} | {N(bill.ServiceBus, "N2")} | {N(bill.Functions, "N2")} | " +
                    $"{N(bill.Data, "N2")} | **{N(bill.Total, "N2")}** |");
            }
        }
        Line();
        Line("The figures file holds every price and assumption; the benchmark results hold every count. Change either and run the");
        Line("command again: `CapacityReportTests` checks that this file is what they give.");
        return text.ToString();
    }

    public sealed record MonthlyBill(double Storage, double ServiceBus, double Functions, double Data)
    {
        public double Total => Storage + ServiceBus + Functions + Data;
    }

    public static MonthlyBill Bill(AzureFigures f, IReadOnlyDictionary<string, Operation> ops, double members, double receipts)
    {
        var httpShare = f["http-share"];
        var reviews = members * f["reviews-per-member-month"];
        var deliveries = members * f["campaign-share"] * f["campaigns-per-month"];
        var lookups = receipts * f["lookups-per-receipt"];
        var counts = new (Operation Op, double Units)[]
        {
            (ops[ReceiptByHttp], receipts * httpShare), (ops[ReceiptByQueue], receipts * (1 - httpShare)), (ops[Lookup], lookups),
            (ops[Nightly], reviews), (ops[FanOut], deliveries),
        };
        double Sum(Func<Operation, double> of) => counts.Sum(c => c.Units * of(c.Op));
        // Durable Functions: an activity per shard and job run (a night a day, a campaign each), and its idle polling.
        var jobRuns = 30 + f["campaigns-per-month"];
        var durable = jobRuns * f["shards"] * f["durable-requests-per-shard"] + f["durable-idle-requests-month"];
        var storage = Sum(o => o.Table) / 10_000 * f["table-transactions-per-10k"]
            + (Sum(o => o.Queue) + durable) / 10_000 * f["queue-operations-per-10k"]
            + Sum(o => o.BlobWrites) / 10_000 * f["blob-writes-per-10k"]
            + Sum(o => o.BlobReads) / 10_000 * f["blob-reads-per-10k"];
        var messages = receipts * (1 - httpShare) / f["receipts-per-message"];
        var busOperations = messages * f["servicebus-operations-per-message"];
        var serviceBus = f["servicebus-standard-base-month"] + Math.Max(0, busOperations - 13_000_000) / 1_000_000 * f["servicebus-standard-per-million"];
        var cpu = receipts * f["cpu-seconds-per-receipt"] + lookups * f["cpu-seconds-per-lookup"]
            + reviews * f["cpu-seconds-per-review"] + deliveries * f["cpu-seconds-per-delivery"]
            + Sum(o => o.Requests) * f["client-cpu-seconds-per-request"];
        var executions = receipts * httpShare + messages + lookups + jobRuns * f["shards"];
        var functions = cpu * f["instance-memory-gb"] * f["flex-gb-second"] + executions / 1_000_000 * f["flex-per-million-executions"];
        var tableGb = (members * f["member-bytes"] + receipts * 12 * f["receipt-bytes"]) / 1e9;
        var blobGb = receipts * 12 * f["receipt-archive-bytes"] / 1e9;
        var data = tableGb * f["table-gb-month"] + blobGb * f["blob-gb-month"];
        return new MonthlyBill(storage, serviceBus, functions, data);
    }

    private static string Duration(double seconds) =>
        seconds < 90 ? $"{seconds.ToString("0", CultureInfo.InvariantCulture)} s" : $"{(seconds / 60).ToString("0.#", CultureInfo.InvariantCulture)} min";
}
