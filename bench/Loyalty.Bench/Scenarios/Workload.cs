using Loyalty.Bench.Infra;
using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Loyalty.Core.Access;
using Loyalty.Core.Accrual;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Core.Vouchers;

namespace Loyalty.Bench.Scenarios;

public sealed record BenchMember(int Number, string MemberId, string Phone);

/// <summary>
/// The demo program (the seeds' pet shop: 1 point per krona, Bronze/Silver/Gold, automatic vouchers, a stamp card) with
/// members enrolled through the product's own services, and a POS API key.
/// </summary>
public sealed class Population
{
    private Population(string programId, int shards, string apiKey, CompiledProgram program, IReadOnlyList<BenchMember> members)
    {
        ProgramId = programId;
        Shards = shards;
        ApiKey = apiKey;
        Program = program;
        Members = members;
    }

    public string ProgramId { get; }

    /// <summary>The program's member shards: the partitions of the Members table its members' rows are spread over.</summary>
    public int Shards { get; }

    public string ApiKey { get; }

    /// <summary>The version receipts are scored by, compiled here from the same definition the program was created with.</summary>
    public CompiledProgram Program { get; }

    public IReadOnlyList<BenchMember> Members { get; }

    /// <param name="counter">The counter on <paramref name="services"/>' storage: the report gets the requests one enrolment makes.</param>
    public static async Task<Population> SeedAsync(BenchContext context, string scenario, IServiceProvider services, Infra.RequestCounter counter,
        int count, CancellationToken cancellationToken)
    {
        // Automatic vouchers, as in every recorded run (docs/benchmarks.md): the demo's till denominations would take a step out of each receipt.
        var definition = DemoProgram.Definition(DateTimeOffset.UtcNow.AddYears(-1)) with
        {
            Vouchers = new VoucherRules { Automatic = new AutomaticVoucherRule(2_000, 100m), ValidDays = 90 },
        };
        var created = await services.GetRequiredService<IProgramService>().CreateAsync(new CreateProgram { Definition = definition,
            Name = "Benchmark Pet Shop", DefaultCountry = "SE" }, cancellationToken);
        if (!created.IsValid) throw new InvalidOperationException($"The program was refused: {string.Join("; ", created.Errors.Select(e => e.Message))}");
        var program = await services.ProgramAsync(definition.ProgramId, cancellationToken);
        var key = await services.GetRequiredService<IApiKeyService>().CreateAsync(program, "bench-pos", Scope.Pos, cancellationToken);
        if (!key.IsValid) throw new InvalidOperationException($"The API key was refused: {string.Join("; ", key.Errors.Select(e => e.Message))}");

        var members = new BenchMember[count];
        counter.Reset();
        var clock = Stopwatch.StartNew();
        await Ui.ProgressAsync($"enrolling {count:N0} members through the member service (c=16)", count, async progress =>
        {
            long done = 0;
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var n = i + 1;
                var phone = DemoData.Phone(n);
                var result = await services.GetRequiredService<IMemberService>().EnrolAsync(program, new EnrolMember
                {
                    FirstName = "Bench",
                    LastName = $"Member{n}",
                    Phone = phone,
                    Email = DemoData.Email(n),
                    BirthDate = new DateOnly(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                    StoreId = $"store-{1 + n % 5}",
                }, ct);
                if (!result.IsValid) throw new InvalidOperationException($"Member {n} was refused: {string.Join("; ", result.Errors.Select(e => e.Message))}");
                members[i] = new BenchMember(n, result.Value.Profile.MemberId, phone);
                progress.Report(Interlocked.Increment(ref done));
            });
            return 0;
        });
        context.Report.Detail(scenario, "seeding",
            $"{count:N0} members enrolled in {clock.Elapsed.TotalSeconds:0.0} s ({count / clock.Elapsed.TotalSeconds:N0} members/s through " +
                "IMemberService.EnrolAsync, c=16)");
        var requests = counter.Snapshot();
        context.Report.Detail(scenario, "storage requests per enrolment (counted)",
            $"{(double)requests.Values.Sum() / count:0.##} in all: " + string.Join(", ", requests.Select(kv => $"{kv.Key} {(double)kv.Value / count:0.##}")));
        return new Population(definition.ProgramId, program.Settings.Shards, key.Value.Secret, CompiledProgram.Compile(definition).Value, members);
    }
}

/// <summary>Pet-shop baskets: 1 to 4 lines, each with a unit price, as a till sends them.</summary>
public static class Baskets
{
    private static readonly (string Sku, string Category, decimal Price)[] Catalogue =
    [
        ("DOG-FOOD-3KG", "pet-food", 219.00m), ("CAT-FOOD-2KG", "pet-food", 189.90m), ("DOG-TREATS", "snacks", 39.90m),
        ("CAT-LITTER-10L", "hygiene", 119.00m), ("LEASH-RED", "accessories", 149.00m), ("BALL-TOY", "toys", 59.50m),
        ("BIRD-SEED-1KG", "pet-food", 45.00m), ("AQUARIUM-FILTER", "aquatics", 399.00m), ("SHAMPOO-DOG", "hygiene", 89.00m),
        ("CAT-WAND-TOY", "toys", 49.00m), ("FISH-FLAKES", "pet-food", 34.90m), ("CHEW-BONE", "snacks", 24.50m),
    ];

    /// <summary>
    /// Receipt <paramref name="n"/> of a run, for one member: deterministic in (<paramref name="seed"/>, <paramref name="n"/>).
    /// 1–4 lines, mostly one of each item: about 300 kr and 2.5 lines on average, a pet shop's basket.
    /// </summary>
    public static PosReceipt Receipt(string runTag, long n, BenchMember member, DateTimeOffset purchasedAt, int seed = 0)
    {
        var random = new Random(HashCode.Combine(seed, n));
        var count = 1 + random.Next(4);
        var lines = new PosLine[count];
        var total = 0m;
        for (var i = 0; i < count; i++)
        {
            var (sku, category, price) = Catalogue[random.Next(Catalogue.Length)];
            var quantity = random.Next(20) switch { < 16 => 1, < 19 => 2, _ => 3 };
            var amount = quantity * price;
            lines[i] = new PosLine { Sku = sku, Category = category, Quantity = quantity, UnitPrice = price, Amount = amount };
            total += amount;
        }

        return new PosReceipt
        {
            Id = $"{runTag}-{n:D8}",
            StoreId = $"store-{1 + n % 5}",
            TerminalId = $"till-{1 + n % 12}",
            Channel = "store",
            PurchasedAt = purchasedAt,
            Member = new MemberIdentifier { Phone = member.Phone },
            Currency = "SEK",
            Total = total,
            Lines = lines,
        };
    }

    /// <summary>The qualifying points the domain gives this receipt (ReceiptScorer, the version in force).</summary>
    public static long Qualifying(CompiledProgram program, PosReceipt receipt, string memberId)
    {
        var domain = ToDomain(receipt, memberId);
        Span<LineScore> scores = stackalloc LineScore[domain.Lines.Count];
        return ReceiptScorer.Score(program, domain, scores).QualifyingPoints;
    }

    public static Receipt ToDomain(PosReceipt receipt, string memberId) => new()
    {
        Id = receipt.Id,
        MemberId = memberId,
        StoreId = receipt.StoreId,
        Channel = receipt.Channel,
        PurchasedAt = receipt.PurchasedAt,
        Currency = receipt.Currency,
        Total = receipt.Total,
        Lines = [.. receipt.Lines.Select(l => new ReceiptLine(l.Sku, l.Category, l.Quantity, l.Amount))],
    };

    /// <summary>
    /// A purchase time every receipt of the run shares the local day of: a minute ago, but never before today's local
    /// midnight in the program's zone (a receipt dated yesterday could close a qualification window and reset points).
    /// </summary>
    public static DateTimeOffset PurchasedAt(CompiledProgram program)
    {
        var now = DateTimeOffset.UtcNow;
        var local = TimeZoneInfo.ConvertTime(now, program.TimeZone);
        var midnight = new DateTimeOffset(local.Date, local.Offset);
        var candidate = now.AddMinutes(-1);
        return candidate < midnight ? midnight.AddSeconds(1) : candidate;
    }
}

/// <summary>JSON as a client writes it: the API's own (camelCase) rules, nulls left out.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = new(StrictJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static byte[] Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}

/// <summary>What every member should have gained: the sum of the domain's qualifying points of its applied receipts.</summary>
public sealed class Expected
{
    private readonly ConcurrentDictionary<string, long> gained = new(StringComparer.Ordinal);
    private long receipts;

    public long Receipts => Interlocked.Read(ref receipts);

    public IReadOnlyDictionary<string, long> Gained => gained;

    public void Add(string memberId, long qualifying)
    {
        gained.AddOrUpdate(memberId, qualifying, (_, sum) => sum + qualifying);
        Interlocked.Increment(ref receipts);
    }

    public long Of(string memberId) => gained.GetValueOrDefault(memberId);
}
