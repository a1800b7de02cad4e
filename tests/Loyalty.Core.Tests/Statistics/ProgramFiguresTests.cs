using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Statistics;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Tests.Statistics;

public class ProgramFiguresTests
{
    private static readonly DateOnly Night = new(2027, 3, 10);
    private static readonly DateTimeOffset CountedAt = new(2027, 3, 10, 1, 5, 0, TimeSpan.Zero);

    /// <summary>The totals a member carries are what its history did: receipts applied, points earned, vouchers and tier moves.</summary>
    [Property(MaxTest = 300)]
    public Property A_members_totals_count_exactly_what_its_transitions_did() =>
        Prop.ForAll(Scenarios.Histories(), s =>
        {
            var (receipts, earned, issued, redeemed, upgrades, downgrades) = (0L, 0L, 0L, 0L, 0L, 0L);
            var runner = new Runner(s.ProgramIndex)
            {
                AfterStep = (op, transition) =>
                {
                    if (transition is null) return;
                    if (op is Buy or ReturnItems or RedeemAgain) receipts++;
                    earned += transition.Ledger.Where(e => e.Kind == LedgerKind.Earned).Sum(e => e.Points);
                    issued += transition.Events.Count(e => e is VoucherIssued);
                    redeemed += transition.Events.Count(e => e is VoucherRedeemed);
                    upgrades += transition.Events.Count(e => e is TierUpgraded);
                    downgrades += transition.Events.Count(e => e is TierDowngraded);
                },
            };
            var enrolled = runner.Book.State.Totals;
            runner.Run(s.Ops);
            var done = runner.Book.State.Totals - enrolled;
            Assert.Equal(new MemberTotals
            {
                Receipts = receipts, PointsEarned = earned, VouchersIssued = issued, VouchersRedeemed = redeemed, Upgrades = upgrades, Downgrades = downgrades,
            }, done);
        });

    [Fact]
    public void A_purchase_counts_one_receipt_its_points_and_the_tier_it_reached()
    {
        var program = Seeds.Catalog(Seeds.Ladder());
        var book = MemberBook.Enrol(program.Latest, "m1", new DateOnly(2026, 1, 5)).Value.Book;
        var bought = book.Apply(Seeds.Purchase("r1", Seeds.At(2026, 1, 6), Seeds.Line(30_000m)), program, Seeds.At(2026, 1, 6)).Value;

        var totals = bought.Book.State.Totals;
        Assert.Equal(1, totals.Receipts);
        Assert.Equal(bought.Transition.Outcome.PointsEarned, totals.PointsEarned);
        Assert.True(totals.PointsEarned > 0);
        Assert.Equal(bought.Transition.Outcome.TierAfter != bought.Transition.Outcome.TierBefore ? 1 : 0, totals.Upgrades);
        Assert.Equal(bought.Transition.Events.OfType<VoucherIssued>().Count(), totals.VouchersIssued);

        var replayed = bought.Book.Apply(Seeds.Purchase("r1", Seeds.At(2026, 1, 6), Seeds.Line(30_000m)), program, Seeds.At(2026, 1, 7)).Value;
        Assert.True(replayed.Replayed);
        Assert.Equal(totals, replayed.Book.State.Totals);
    }

    [Fact]
    public void A_shard_counts_tiers_points_debt_and_open_vouchers_of_members_not_erased_and_everyones_totals()
    {
        var figures = ShardFigures.Empty(Night, 3, CountedAt).With(
        [
            new(Member("a", "Bronze", balance: 150, totals: Totals(receipts: 2, earned: 150)), false),
            new(Member("b", "Gold", balance: -20, debt: 5, vouchers: [100m, 200m], totals: Totals(receipts: 5, earned: 900, issued: 2, upgrades: 1)), false),
            new(Member("c", "Gold", balance: 1_000, vouchers: [50m], totals: Totals(receipts: 1, earned: 1_000, issued: 1, redeemed: 1)), true),
        ]).With([new(Member("d", "Bronze", balance: 30, totals: Totals(receipts: 1, earned: 30)), false)]);

        Assert.Equal(4, figures.Enrolled);
        Assert.Equal(new Dictionary<string, long> { ["Bronze"] = 2, ["Gold"] = 1 }, figures.Tiers);
        Assert.Equal(180, figures.Points);
        Assert.Equal(25, figures.Debt);
        Assert.Equal(2, figures.OpenVouchers);
        Assert.Equal(300m, figures.OpenVoucherValue);
        Assert.Equal(Totals(receipts: 9, earned: 2_080, issued: 3, redeemed: 1, upgrades: 1), figures.Totals);
    }

    [Fact]
    public void Nights_are_the_differences_of_complete_counts_and_the_latest_complete_night_is_now()
    {
        var program = Seeds.Till();
        ShardFigures Count(DateOnly night, int shard, long enrolled, MemberTotals totals, params (string Tier, long Members)[] tiers) =>
            ShardFigures.Empty(night, shard, CountedAt.AddDays(night.DayNumber - Night.DayNumber).AddMinutes(shard)) with
            {
                Enrolled = enrolled,
                Tiers = tiers.ToImmutableSortedDictionary(t => t.Tier, t => t.Members, StringComparer.Ordinal),
                Points = 1_001 * (shard + 1),
                Debt = shard,
                OpenVouchers = 2,
                OpenVoucherValue = 150m,
                Totals = totals,
            };
        var rows = new[]
        {
            Count(Night, 0, 10, Totals(receipts: 100, earned: 5_000, issued: 10, redeemed: 4, upgrades: 3), ("Bronze", 9)),
            Count(Night, 1, 20, Totals(receipts: 200, earned: 9_000, issued: 20, redeemed: 8, downgrades: 1), ("Bronze", 18), ("Silver", 2)),
            Count(Night.AddDays(1), 0, 12, Totals(receipts: 130, earned: 6_000, issued: 12, redeemed: 5, upgrades: 4), ("Bronze", 11)),
            Count(Night.AddDays(1), 1, 21, Totals(receipts: 210, earned: 9_500, issued: 21, redeemed: 8, upgrades: 1, downgrades: 3),
                ("Bronze", 17), ("Silver", 2), ("Retired", 1)),
            // A night still running: one shard of two counted, so it is not "now" yet.
            Count(Night.AddDays(2), 0, 99, Totals(receipts: 999), ("Bronze", 99)),
        };

        var figures = ProgramFigures.From(program, 2, rows);

        Assert.Equal(Night.AddDays(1), figures.AsOf);
        Assert.Equal(CountedAt.AddDays(1).AddMinutes(1), figures.CountedAt);
        Assert.Equal(
            [new TierFigure("Bronze", 28), new TierFigure("Silver", 2), new TierFigure("Gold", 0), new TierFigure("Retired", 1)],
            figures.Tiers);
        Assert.Equal(0.05m, figures.PointValue);
        Assert.Equal(new PointsLiability(3_003, 1, 150.15m), figures.Liability);
        Assert.Equal(new VoucherFigures(4, 300m, 33, 13), figures.Vouchers);
        var night = Assert.Single(figures.Nights);
        Assert.Equal(new NightFigures(Night.AddDays(1), Night, 31, 3, 40, 1_500, 2, 2, 3, 1), night);
        Assert.Equal("SEK", figures.Currency);
    }

    [Fact]
    public void Without_a_complete_night_there_are_no_figures_yet()
    {
        var figures = ProgramFigures.From(Seeds.Till(), 2, [ShardFigures.Empty(Night, 1, CountedAt)]);

        Assert.Null(figures.AsOf);
        Assert.Empty(figures.Tiers);
        Assert.Empty(figures.Nights);
        Assert.Equal(new PointsLiability(0, 0, null), figures.Liability);
    }

    [Fact]
    public void A_point_is_worth_the_best_rate_points_buy_vouchers_at()
    {
        Assert.Equal(0.05m, ProgramFigures.PointValueOf(Seeds.Ladder()));
        Assert.Equal(0.06m, ProgramFigures.PointValueOf(Seeds.Till() with
        {
            Vouchers = new VoucherRules { Denominations = [new(1_000, 40m), new(5_000, 300m)] },
        }));
        Assert.Null(ProgramFigures.PointValueOf(Seeds.Till() with { Vouchers = new VoucherRules() }));
    }

    private static MemberTotals Totals(long receipts = 0, long earned = 0, long issued = 0, long redeemed = 0, long upgrades = 0, long downgrades = 0) => new()
    {
        Receipts = receipts, PointsEarned = earned, VouchersIssued = issued, VouchersRedeemed = redeemed, Upgrades = upgrades, Downgrades = downgrades,
    };

    private static MemberState Member(string id, string tier, long balance, MemberTotals totals, long debt = 0, decimal[]? vouchers = null) => new()
    {
        ProgramId = "zoo",
        MemberId = id,
        EnrolledOn = Night.AddYears(-1),
        Tier = tier,
        CarriedTier = tier,
        WindowStart = new DateOnly(2027, 1, 1),
        WindowEnd = new DateOnly(2027, 12, 31),
        ReviewedOn = Night,
        Balance = balance,
        Debt = debt,
        Vouchers = [.. (vouchers ?? []).Select((value, i) => new Voucher
        {
            Id = $"{id}-v{i}", Source = VoucherSource.Chosen, Value = value, Currency = "SEK", IssuedOn = Night, ExpiresOn = Night.AddDays(90), Cause = "test",
        })],
        Totals = totals,
    };
}
