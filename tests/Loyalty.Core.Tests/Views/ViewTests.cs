using Loyalty.Core.Views;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

public class ViewTests
{
    [Fact]
    public void The_view_says_the_tier_until_when_and_exactly_what_is_left_by_which_date()
    {
        var catalog = Seeds.Catalog(Ladder());
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 3, 1), Line(5_760m), Bags(3, 10m)), catalog).Book;
        var view = MemberViews.Build(book.State, catalog.Latest, new DateOnly(2026, 5, 1));
        Assert.Equal(("Silver", new DateOnly(2027, 12, 31)), (view.Tier, view.HoldsUntil));
        Assert.Equal(("Gold", 9_210L, new DateOnly(2026, 12, 31)), (view.NextTier, view.PointsToNextTier, view.NextTierDeadline));
        Assert.Contains(view.Benefits, b => b is { Kind: "discount-percent", Value: 10m });
        var progress = Assert.Single(view.Messages, m => m.Key == "tier.progress");
        Assert.Equal(9_210L, progress.Args["pointsLeft"]);
        Assert.Equal("Gold", progress.Args["nextTier"]);
        Assert.Equal(new DateOnly(2026, 12, 31), progress.Args["by"]);
        Assert.Equal((1_790L, 210L, 0m), (view.Balance, view.PointsToNextVoucher, view.BalanceValue));
        Assert.Equal(new StampCardView("bags", "Every 10th bag", 3, 10, 7, 0), Assert.Single(view.StampCards));
        Assert.Equal(2, view.OpenVouchers.Count);
    }

    [Fact]
    public void Ten_thousand_points_are_worth_400_kr_at_the_till()
    {
        var catalog = Seeds.Catalog(Till());
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 3, 1), Line(10_000m)), catalog).Book;
        var view = MemberViews.Build(book.State, catalog.Latest, new DateOnly(2026, 3, 2));
        Assert.Equal((10_000L, 400m), (view.Balance, view.BalanceValue));
        var balance = Assert.Single(view.Messages, m => m.Key == "points.balance");
        Assert.Equal(400m, balance.Args["value"]);
    }

    [Fact]
    public void The_view_offers_the_denominations_the_balance_covers_and_none_under_automatic_vouchers()
    {
        var till = Seeds.Catalog(Till());
        var book = Enrol(till.Latest).Apply(Purchase("r1", At(2026, 3, 1), Line(10_000m)), till).Book;
        var view = MemberViews.Build(book.State, till.Latest, new DateOnly(2026, 3, 2));
        Assert.NotEmpty(view.VoucherChoices);
        Assert.All(view.VoucherChoices, d => Assert.True(d.Points <= view.Balance));
        Assert.Equal(till.Latest.Definition.Vouchers.Denominations.Where(d => d.Points <= 10_000).OrderBy(d => d.Points), view.VoucherChoices);

        var automatic = Seeds.Catalog(Ladder());
        var auto = Enrol(automatic.Latest).Apply(Purchase("r1", At(2026, 3, 1), Line(10_000m)), automatic).Book;
        Assert.Empty(MemberViews.Build(auto.State, automatic.Latest, new DateOnly(2026, 3, 2)).VoucherChoices);
    }

    [Fact]
    public void Points_expiring_soon_are_listed_with_their_last_day()
    {
        var catalog = Seeds.Catalog(Till());
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 1, 10), Line(700m)), catalog).Book;
        book = book.Apply(Purchase("r2", At(2026, 6, 10), Line(300m)), catalog).Book;
        var view = MemberViews.Build(book.State, catalog.Latest, new DateOnly(2027, 1, 5));
        Assert.Equal([new ExpiringPoints(new DateOnly(2027, 1, 31), 700)], view.ExpiringSoon);
        Assert.Contains(view.Messages, m => m.Key == "points.expiring" && (long)m.Args["points"] == 700);
    }

    [Fact]
    public void A_carried_tier_shows_what_keeps_it_and_the_view_catches_up_without_the_nightly_job()
    {
        var catalog = Seeds.Catalog(Ladder());
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 12, 30), Line(15_000m)), catalog).Book;
        var view = MemberViews.Build(book.State, catalog.Latest, new DateOnly(2027, 2, 1));
        Assert.Equal(("Gold", new DateOnly(2027, 12, 31), 0L, 15_000L), (view.Tier, view.HoldsUntil, view.QualifyingPoints, view.PointsToKeepTier));
        Assert.Contains(view.Messages, m => m.Key == "tier.keep");
        Assert.Contains(view.Messages, m => m.Key == "tier.top");
    }
}
