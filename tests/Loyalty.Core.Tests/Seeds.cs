using Loyalty.Core.Application.Demo;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.StampCards;
using Loyalty.Core.Tiers;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Tests;

/// <summary>The seeds' programs: Bronze/Silver/Gold 5/10/15 %, "every 2,000 points a 100 kr voucher", "every 10th bag".</summary>
internal static class Seeds
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(1));

    /// <summary>
    /// The demo program without its welcome voucher, so balances in examples start at what the receipts earned, and with
    /// "every 2,000 points a 100 kr voucher" converted automatically instead of the demo's till denominations.
    /// </summary>
    public static ProgramDefinition Ladder(TierPolicy policy = TierPolicy.HoldThroughNextPeriod, QualificationPeriod? period = null) =>
        DemoProgram.Definition(Start.AddYears(-5)) with
        {
            ProgramId = "zoo",
            TierPolicy = policy,
            Qualification = period ?? new QualificationPeriod(policy == TierPolicy.RollingWindow ? PeriodKind.Rolling : PeriodKind.CalendarYear, 12),
            WelcomeReward = null,
            Vouchers = new VoucherRules { Automatic = new AutomaticVoucherRule(2_000, 100m), ValidDays = 90 },
        };

    public static ProgramDefinition Till() => Ladder() with
    {
        Vouchers = new VoucherRules
        {
            Denominations = [new(2_000, 100m), new(4_000, 200m), new(6_000, 300m), new(8_000, 400m)],
            ValidDays = 90,
        },
    };

    public static CompiledProgram Compile(ProgramDefinition definition) => CompiledProgram.Compile(definition).Value;

    public static ProgramCatalog Catalog(ProgramDefinition definition) => ProgramCatalog.Create(definition).Value;

    public static DateTimeOffset At(int year, int month, int day, int hour = 12) =>
        new(year, month, day, hour, 0, 0, TimeSpan.FromHours(month is >= 4 and <= 10 ? 2 : 1));

    public static Receipt Purchase(string id, DateTimeOffset at, params ReceiptLine[] lines) => new()
    {
        Id = id,
        MemberId = "m1",
        PurchasedAt = at,
        Currency = "SEK",
        Total = lines.Sum(l => l.Amount),
        Lines = lines,
    };

    public static Receipt Return(string id, string of, DateTimeOffset at, params ReceiptLine[] lines) => Purchase(id, at, lines) with { ReturnOf = of };

    public static ReceiptLine Line(decimal amount, string category = "toys", decimal quantity = 1, string? sku = null) =>
        new(sku ?? $"sku-{category}", category, quantity, amount);

    public static ReceiptLine Bags(int bags, decimal each = 300m) => new("bag-10kg", "pet-food", bags, bags * each);

    public static MemberBook Enrol(CompiledProgram program, DateOnly? on = null, DateOnly? birthday = null, string memberId = "m1") =>
        MemberBook.Enrol(program, memberId, on ?? new DateOnly(2026, 1, 1), birthday).Value.Book;

    /// <summary>Applies a receipt that must be valid, with a clock just after its purchase.</summary>
    public static BookChange Apply(this MemberBook book, Receipt receipt, ProgramCatalog catalog)
    {
        var result = book.Apply(receipt, catalog, receipt.PurchasedAt.AddMinutes(1));
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Code} {e.Message}")));
        return result.Value;
    }

    public static long LedgerSum(IEnumerable<Loyalty.Core.Ledger.LedgerEntry> entries) => entries.Sum(e => e.Points);
}
