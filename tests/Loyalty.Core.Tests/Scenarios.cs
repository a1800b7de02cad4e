using FsCheck;
using FsCheck.Fluent;
using Loyalty.Core.Accrual;
using Loyalty.Core.Application;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Tiers;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Tests;

/// <summary>One step of a generated member history; each waits <see cref="Days"/> days after the previous one.</summary>
public abstract record Op(int Days);

public sealed record Buy(int Days, int[] Amounts, int Bags, bool UseVoucher, bool ForHousehold) : Op(Days)
{
    public override string ToString() => $"Buy(+{Days}d, [{string.Join(",", Amounts)}], bags " +
        $"{Bags}{(UseVoucher ? ", voucher" : "")}{(ForHousehold ? ", household" : "")})";
}

public sealed record ReturnItems(int Days, int Pick, bool Everything) : Op(Days);

public sealed record Choose(int Days, int Denomination) : Op(Days);

public sealed record Review(int Days) : Op(Days);

public sealed record RedeemAgain(int Days) : Op(Days);

/// <summary>A campaign run reaches the member: 0 message only, 1 coupon, 2 voucher, 3 bonus points.</summary>
public sealed record GetCampaign(int Days, int Offer) : Op(Days);

public sealed record Scenario(int ProgramIndex, Op[] Ops)
{
    public override string ToString() => $"program {ProgramIndex}: {string.Join("; ", Ops.Select(o => o.ToString()))}";
}

internal static class Scenarios
{
    /// <summary>Every tier policy, both voucher models, both debt policies, calendar and anniversary windows, short point lifetimes.</summary>
    public static readonly ProgramCatalog[] Programs =
    [
        Seeds.Catalog(Seeds.Ladder()),
        Seeds.Catalog(Seeds.Ladder(TierPolicy.ResetToBase) with { PointLifetimeMonths = 3 }),
        Seeds.Catalog(Seeds.Ladder(TierPolicy.DropOneTier)),
        Seeds.Catalog(Seeds.Ladder(TierPolicy.RollingWindow) with { DebtPolicy = DebtPolicy.AllowNegative }),
        Seeds.Catalog(Seeds.Till() with { PointLifetimeMonths = 6 }),
        Seeds.Catalog(Seeds.Till() with { DebtPolicy = DebtPolicy.AllowNegative, Qualification = new QualificationPeriod(PeriodKind.Anniversary, 24) }),
        Seeds.Catalog(
            Seeds.Ladder(period: new QualificationPeriod(PeriodKind.Anniversary, 12)) with { Vouchers = new() { Automatic = new(2_000, 100m), MaxOpen = 3 } }),
    ];

    /// <summary>Programs under the default hold-through policy, for the tier-hold property.</summary>
    public static readonly int[] HoldPrograms = [0, 4, 5, 6];

    private static Gen<Op> OpGen(bool withReturns)
    {
        var days = Gen.Choose(0, 45);
        var buy = from d in days
                  from lines in Gen.Choose(1, 4)
                  from amounts in Gen.ArrayOf(Gen.Choose(1, 3_000), lines)
                  from bags in Gen.Choose(0, 4)
                  from voucher in Gen.Elements(false, false, true)
                  from household in Gen.Elements(false, false, false, true)
                  select (Op)new Buy(d, amounts, bags, voucher, household);
        var ops = new List<(int, Gen<Op>)>
        {
            (6, buy),
            (1, from d in Gen.Choose(0, 400) select (Op)new Review(d)),
            (1, from d in days from i in Gen.Choose(0, 3) select (Op)new Choose(d, i)),
            (1, from d in days select (Op)new RedeemAgain(d)),
            (1, from d in days from offer in Gen.Choose(0, 3) select (Op)new GetCampaign(d, offer)),
        };
        if (withReturns) ops.Add(
            (3, from d in days from pick in Gen.Choose(0, 50) from all in Gen.Elements(true, false) select (Op)new ReturnItems(d, pick, all)));
        return Gen.Frequency(ops);
    }

    public static Arbitrary<Scenario> Histories(bool withReturns = true, int[]? programs = null) =>
        (from p in Gen.Elements(programs ?? Enumerable.Range(0, Programs.Length).ToArray())
         from ops in Gen.ListOf(OpGen(withReturns)).Select(l => l.ToArray())
         select new Scenario(p, ops)).ToArbitrary();
}

/// <summary>Interprets a scenario against a member book, checking the invariants after every step.</summary>
internal sealed class Runner
{
    private readonly List<(Receipt Receipt, decimal[] Returned)> purchases = [];
    private readonly HashSet<string> issued = [];
    private readonly HashSet<string> redeemed = [];
    private int receipts;

    public Runner(int programIndex)
    {
        Catalog = Scenarios.Programs[programIndex];
        var enrolled = MemberBook.Enrol(Program, "m1", new DateOnly(2026, 1, 5)).Value;
        Book = enrolled.Book;
        Ledger.AddRange(enrolled.Transition.Ledger);
        Clock = Seeds.At(2026, 1, 5);
    }

    public ProgramCatalog Catalog { get; }
    public CompiledProgram Program => Catalog.Latest;
    public MemberBook Book { get; private set; }
    public DateTimeOffset Clock { get; private set; }
    public DateOnly Today => Program.LocalDate(Clock);
    public List<LedgerEntry> Ledger { get; } = [];

    /// <summary>Called after each step with the transition it produced (null if the step was refused or skipped).</summary>
    public Action<Op, Transition?>? AfterStep { get; init; }

    public Runner Run(IEnumerable<Op> ops)
    {
        foreach (var op in ops) Step(op);
        return this;
    }

    public void Step(Op op)
    {
        Clock = Clock.AddDays(op.Days);
        var transition = op switch
        {
            Buy buy => ApplyPurchase(buy),
            ReturnItems r => ApplyReturn(r),
            Choose c => ChooseVoucher(c),
            Review => Accept(Book.Review(Program, Today)),
            RedeemAgain => TryRedeemAgain(),
            GetCampaign c => ReceiveCampaign(c),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
        CheckInvariants();
        AfterStep?.Invoke(op, transition);
    }

    public Receipt NewPurchase(int[] amounts, int bags, string? voucher = null, bool household = false)
    {
        var lines = amounts.Select((a, i) => new ReceiptLine($"sku{i}", i % 2 == 0 ? "toys" : "garden", 1 + i % 3, a + (i == 1 ? 0.5m : 0m))).ToList();
        if (bags > 0) lines.Add(Seeds.Bags(bags, 99m));
        return Seeds.Purchase($"r{++receipts}", Clock, [.. lines]) with
        {
            Vouchers = voucher is null ? [] : [voucher],
            StampsTo = household ? "m2" : null,
        };
    }

    public Transition Apply(Receipt receipt)
    {
        var result = Book.Apply(receipt, Catalog, Clock.AddMinutes(1));
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Code} {e.Message}")));
        var change = Accept(result.Value);
        var resent = Book.Apply(receipt, Catalog, Clock.AddMinutes(2)).Value;
        Assert.True(resent.Replayed);
        Assert.Same(Book.State, resent.Book.State);
        Assert.Same(change.Outcome, resent.Transition.Outcome);
        return change;
    }

    private Transition ApplyPurchase(Buy buy)
    {
        var voucher = buy.UseVoucher ? Book.State.Vouchers.FirstOrDefault(v => v.ExpiresOn >= Today)?.Id : null;
        var receipt = NewPurchase(buy.Amounts, buy.Bags, voucher, buy.ForHousehold);
        var transition = Apply(receipt);
        purchases.Add((receipt, new decimal[receipt.Lines.Count]));
        Assert.True(transition.Outcome.Discount <= receipt.Total);
        return transition;
    }

    private Transition? ApplyReturn(ReturnItems r)
    {
        if (purchases.Count == 0) return null;
        var (original, returned) = purchases[r.Pick % purchases.Count];
        var lines = new List<ReceiptLine>();
        for (var i = 0; i < original.Lines.Count && (r.Everything || lines.Count == 0); i++)
        {
            var line = original.Lines[i];
            var left = r.Everything ? line.Quantity - returned[i] : Math.Min(1, line.Quantity - returned[i]);
            if (left <= 0) continue;
            lines.Add(new ReceiptLine(line.Sku, line.Category, -left, -line.Amount * left / line.Quantity, i));
            returned[i] += left;
        }
        if (lines.Count == 0) return null;
        return Apply(Seeds.Return($"r{++receipts}", original.Id, Clock, [.. lines]));
    }

    private Transition? ChooseVoucher(Choose c)
    {
        var denominations = Program.Definition.Vouchers.Denominations;
        if (denominations.Count == 0) return null;
        var d = denominations[c.Denomination % denominations.Count];
        var before = Book.State;
        var result = Book.ChooseVoucher(Program, $"q{++receipts}", d.Value, Today);
        if (result.IsValid) return Accept(result.Value);
        Assert.Contains(result.Errors[0].Code, new[] { ErrorCodes.InsufficientPoints, ErrorCodes.VoucherTooManyOpen });
        Assert.Same(before, Book.State);
        return null;
    }

    private Transition? TryRedeemAgain()
    {
        if (redeemed.Count == 0) return null;
        var receipt = NewPurchase([100], 0, redeemed.First());
        var result = Book.Apply(receipt, Catalog, Clock.AddMinutes(1));
        Assert.Contains(result.Errors, e => e.Code is ErrorCodes.VoucherNotOpen or ErrorCodes.VoucherExpired);
        return null;
    }

    /// <summary>A dispatch is applied once: sent again it is a replay; refused (no room for a voucher) it changes nothing.</summary>
    private Transition? ReceiveCampaign(GetCampaign c)
    {
        var offer = c.Offer switch
        {
            0 => new Offer(),
            1 => new Offer { Kind = OfferKind.Coupon, Code = "PIZZA15" },
            2 => new Offer { Kind = OfferKind.Voucher, Value = 50m, ValidDays = 14 },
            _ => new Offer { Kind = OfferKind.BonusPoints, Points = 750 },
        };
        var dispatch = new CampaignDispatch("spring", $"run{++receipts}", Today, offer, ConsentChannel.Email, "Hi!");
        var before = Book.State;
        var result = Book.ReceiveCampaign(Program, dispatch);
        if (!result.IsValid)
        {
            Assert.Equal(ErrorCodes.VoucherTooManyOpen, result.Errors[0].Code);
            Assert.Same(before, Book.State);
            return null;
        }
        var change = Accept(result.Value);
        var again = Book.ReceiveCampaign(Program, dispatch).Value;
        Assert.True(again.Replayed);
        Assert.Same(Book.State, again.Book.State);
        Assert.Same(change.Outcome, again.Transition.Outcome);
        return change;
    }

    private Transition Accept(BookChange change)
    {
        Book = change.Book;
        Ledger.AddRange(change.Transition.Ledger);
        foreach (var voucher in change.Transition.Outcome.VouchersIssued)
        {
            Assert.True(voucher.Value > 0, $"voucher {voucher.Id} is worth {voucher.Value}");
            Assert.True(issued.Add(voucher.Id), $"voucher {voucher.Id} issued twice");
        }
        foreach (var id in change.Transition.Outcome.VouchersRedeemed)
            Assert.True(redeemed.Add(id), $"voucher {id} redeemed twice");
        return change.Transition;
    }

    private void CheckInvariants()
    {
        var s = Book.State;
        Assert.Equal(Ledger.Sum(e => e.Points), s.Balance);
        Assert.Equal(Ledger.Sum(e => e.Debt), s.Debt);
        Assert.Equal(Ledger.Sum(e => e.QualifyingPoints), s.QualifyingPoints);
        Assert.Equal(Math.Max(s.Balance, 0), s.Lots.Sum(l => l.Points));
        Assert.All(s.Lots, l => Assert.True(l.Points > 0));
        Assert.True(s.Debt >= 0 && s.QualifyingPoints >= 0);
        Assert.True(s.Debt == 0 || s.Balance == 0, $"balance {s.Balance} next to debt {s.Debt}");
        if (Program.Definition.DebtPolicy == DebtPolicy.FloorAtZero) Assert.True(s.Balance >= 0);
        Assert.True(s.Vouchers.Length <= Program.Definition.Vouchers.MaxOpen);
        Assert.All(s.StampCards, c => Assert.True(c.Stamps >= 0, $"card {c.CardId} has {c.Stamps} stamps"));
    }
}
