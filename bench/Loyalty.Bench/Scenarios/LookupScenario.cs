using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using Loyalty.Bench.Infra;
using Loyalty.Core.Application;
using Loyalty.HostProcess;
using Azure;
using Azure.Data.Tables;
using Loyalty.Storage.Tables;
using Spectre.Console;
using Loyalty.Storage.InMemory;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// Till identification: <c>POST /api/v1/members/identify {"phone": …}</c> against the real local host on a Kestrel socket,
/// at c=1/8/32. Bound: raw point reads of the very rows a lookup reads (identity row and member profile), at the same
/// concurrency, divided by the storage reads one lookup makes (counted on the product's own code path).
/// </summary>
public static class LookupScenario
{
    public const string Name = "lookup";
    private const int CountedSample = 50;

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        Ui.Heading("lookup: till identification by phone over HTTP");
        var report = context.Report;
        var prefix = context.Prefix(Name);
        var seeding = new RequestCounter();
        var (storage, services) = await context.ServicesAsync(prefix, seeding, cancellationToken: cancellationToken);
        var host = await context.StartHostAsync(Name, prefix, null, cancellationToken);
        var population = await Population.SeedAsync(context, Name, services, seeding, context.Scale.LookupMembers, cancellationToken);
        var members = population.Members;

        // Storage requests per lookup, counted on the product's code path (the handler's program from the cache, then IMemberService.IdentifyAsync).
        var counter = new RequestCounter();
        var (_, counted) = await context.ServicesAsync(prefix, counter, cancellationToken: cancellationToken);
        var program = await counted.ProgramAsync(population.ProgramId, cancellationToken);
        await counted.GetRequiredService<IMemberService>().IdentifyAsync(program, new MemberIdentifier { Phone = members[0].Phone }, cancellationToken);
        counter.Reset();
        var sample = Math.Min(CountedSample, members.Count);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < sample; i++)
        {
            var found = await counted.GetRequiredService<IMemberService>().IdentifyAsync(program,
                new MemberIdentifier { Phone = members[i].Phone }, cancellationToken);
            if (!found.IsValid || found.Value.Profile.MemberId != members[i].MemberId)
                throw new InvalidOperationException($"Member {members[i].Number} was not identified by phone.");
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        var counts = counter.Snapshot();
        report.Detail(Name, "stopwatch breakdown of one lookup (in-process, one at a time)", Breakdown(counter, elapsed, sample));
        report.Rates(Name, "lookup", counts, sample, counter.TransactionOperations);
        var readsPerLookup = (double)counts.GetValueOrDefault(StorageRequests.Kinds.TablePointRead) / sample;
        var requestsPerLookup = (double)counts.Values.Sum() / sample;
        report.Detail(Name, "storage requests per lookup (counted on IMemberService.IdentifyAsync, program cached)",
            string.Join(", ", counts.Select(kv => $"{kv.Key} {(double)kv.Value / sample:0.##}"))
                + $"; the API key is cached by the handler for {Loyalty.Api.Auth.ApiKeyAuthentication.CacheFor.TotalSeconds:0} s");
        if (requestsPerLookup != readsPerLookup)
            report.Detail(Name, "note", $"a lookup also makes {requestsPerLookup - readsPerLookup:0.##} requests that are not point reads; the " +
                "bound counts point reads only");

        // The rows a lookup reads, straight from the tables.
        var account = context.Account();
        var identityRows = await Keys(
            account.GetTable(storage.Names.Identities),
            TableClient.CreateQueryFilter($"PartitionKey ge {population.ProgramId + "|phone|"} and PartitionKey lt {population.ProgramId + "|phone}"}"),
            cancellationToken);
        var profileRows = await Keys(
            account.GetTable(storage.Names.Members), TableClient.CreateQueryFilter($"RowKey ge {"p|"} and RowKey lt {"p}"}"), cancellationToken);
        if (identityRows.Count != members.Count || profileRows.Count != members.Count)
            throw new InvalidOperationException($"Expected {members.Count} phone identities and profiles, found {identityRows.Count} and " +
                $"{profileRows.Count}: the storage layout changed; update the benchmark.");
        var identities = account.GetTable(storage.Names.Identities);
        var profiles = account.GetTable(storage.Names.Members);
        report.Detail(Name, "tables", $"{members.Count:N0} members: {await CountAsync(identities, cancellationToken):N0} identity rows, " +
            $"{await CountAsync(profiles, cancellationToken):N0} member rows in {64} shards");

        using var client = Http.Client(host.Address!, population.ApiKey);
        var bodies = members.Select(m => WireJson.Bytes(new MemberIdentifier { Phone = m.Phone })).ToArray();
        long mismatches = 0, lookups = 0;

        // Warm-up: the host's first requests pay for JIT (twice, with tiering), connections and the API key's first read.
        await Paired.WarmUpAsync(context, "POST /members/identify", 8, async (caller, n, ct) =>
        {
            using var response = await client.PostAsync("/api/v1/members/identify", Http.Json(bodies[Random.Shared.Next(members.Count)]), ct);
            using var json = await Http.ReadOkAsync(response, ct);
        }, cancellationToken);

        foreach (var c in StorageScenario.Concurrencies)
        {
            var (raw, http) = await Paired.InterleavedAsync(context,
                "raw point reads (identity, profile)", async (caller, n, ct) =>
                {
                    var i = Random.Shared.Next(members.Count);
                    var (pk, rk) = n % 2 == 0 ? identityRows[i] : profileRows[i];
                    _ = await (n % 2 == 0 ? identities : profiles).GetOrNullAsync<TableEntity>(pk, rk, cancellationToken: ct)
                        ?? throw new InvalidOperationException($"Row {pk}/{rk} is missing.");
                },
                "POST /members/identify", async (caller, n, ct) =>
                {
                    var i = Random.Shared.Next(members.Count);
                    using var response = await client.PostAsync("/api/v1/members/identify", Http.Json(bodies[i]), ct);
                    using var json = await Http.ReadOkAsync(response, ct);
                    Interlocked.Increment(ref lookups);
                    if (json.RootElement.GetProperty("profile").GetProperty("memberId")
                        .GetString() != members[i].MemberId) Interlocked.Increment(ref mismatches);
                },
                c, context.Scale.Slices, context.Scale.Slice, cancellationToken);
            report.Add(new Measurement
            {
                Scenario = Name, Name = "raw point reads of lookup rows", Concurrency = c, Value = raw.Rate, Unit = "reads/s", LatencyMs = raw.Latency,
                Operations = raw.Operations, Seconds = raw.Seconds, Cpu = raw.Cpu, Errors = raw.Errors, Note = raw.FirstError,
            });
            var bound = raw.Rate / readsPerLookup;
            report.Add(new Measurement
            {
                Scenario = Name, Name = "identify by phone (HTTP)", Concurrency = c, Value = http.Rate, Unit = "lookups/s", LatencyMs = http.Latency,
                Bound = bound, BoundBasis = string.Create(CultureInfo.InvariantCulture,
                $"{raw.Rate:N0} raw point reads/s ÷ {readsPerLookup:0.##} reads per lookup, measured in slices alternating with the lookups"),
                Operations = http.Operations, Seconds = http.Seconds, Cpu = http.Cpu, Errors = http.Errors, Note = http.FirstError,
            });
        }

        var results = report.Measurements.Where(m => m.Scenario == Name && m.Bound is not null).ToList();
        foreach (var m in results)
        {
            report.Target(Name, $"lookup ≥ 0.7 of bound at c={m.Concurrency}", $"{m.Ratio:0.00} ({m.Value:N0} of {m.Bound:N0}/s)", context.Tiny
                ? null : m.Ratio >= 0.7);
        }

        if (results.LastOrDefault(m => m.Concurrency == 32) is { LatencyMs: { } latency } at32)
        {
            report.Target(Name, "lookup p99 < 25 ms at c=32", $"{latency.P99:0.0} ms", context.Tiny ? null : latency.P99 < 25);
            // Little's law: 32 callers back to back wait 32 ÷ rate on average; the bound caps the rate.
            report.Detail(Name, "why p99 at c=32 follows from the bound", string.Create(CultureInfo.InvariantCulture,
                $"32 callers in a closed loop wait 32 ÷ rate on average, so even at the bound ({at32.Bound:N0} lookups/s) the mean is " +
                    $"{32_000 / at32.Bound!.Value:0} ms; p99 < 25 ms at c=32 needs more than 1,280 lookups/s, i.e. {1_280 * readsPerLookup:N0} point reads/s"));
        }

        var errors = results.Sum(m => m.Errors);
        report.Check(Name, "every lookup answered 200 with the member the phone belongs to",
            mismatches == 0 && errors == 0 && lookups > 0, $"{lookups:N0} lookups, {mismatches} wrong members, {errors} errors");
        await context.CleanUpAsync(storage, cancellationToken);
        report.Print(Name);
    }

    /// <summary>"3.10 ms = table point read 2.40 (2 × 1.20) + our code and the client 0.70".</summary>
    public static string Breakdown(RequestCounter counter, double totalMs, int units)
    {
        var times = counter.Times();
        var counts = counter.Snapshot();
        var storage = times.Values.Sum() / units;
        var parts = times.Select(kv => string.Create(CultureInfo.InvariantCulture,
            $"{kv.Key} {kv.Value / units:0.00} ({(double)counts[kv.Key] / units:0.##} × {kv.Value / counts[kv.Key]:0.00})"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{totalMs / units:0.00} ms = {string.Join(" + ", parts)} + everything else (our code, serialization, the client) " +
                $"{totalMs / units - storage:0.00}");
    }

    public static async Task<List<(string PartitionKey, string RowKey)>> Keys(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var keys = new List<(string, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, 1000, ["PartitionKey", "RowKey"], cancellationToken))
            keys.Add((row.PartitionKey, row.RowKey));
        return keys;
    }

    private static async Task<long> CountAsync(TableClient table, CancellationToken cancellationToken)
    {
        long rows = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(maxPerPage: 1000, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages())
            rows += page.Values.Count;
        return rows;
    }
}
