using Loyalty.Core.Events;
using Loyalty.Core.Members;
using Loyalty.Core.Tiers;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

public class TierTests
{
    private static (MemberBook Book, Programs.CompiledProgram Program) GoldOnDecember30(TierPolicy policy)
    {
        var catalog = Seeds.Catalog(Ladder(policy));
        return (Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 12, 30), Line(15_000m)), catalog).Book, catalog.Latest);
    }

    private static string TierOn(MemberBook book, Programs.CompiledProgram program, int year, int month, int day) =>
        TierEvaluator.Evaluate(book.State, program, new DateOnly(year, month, day)).Tier;

    [Fact]
    public void Upgrades_are_immediate_and_say_how_long_they_hold()
    {
        var catalog = Seeds.Catalog(Ladder());
        var change = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 3, 1), Line(5_200m)), catalog);
        var upgrade = Assert.Single(change.Transition.Events.OfType<TierUpgraded>());
        Assert.Equal(("Bronze", "Silver", new DateOnly(2027, 12, 31)), (upgrade.From, upgrade.To, upgrade.HoldsUntil));
        Assert.Equal("m1/r1/tier.upgraded/Silver", upgrade.Id);
    }

    [Fact]
    public void Default_policy_keeps_a_tier_reached_the_day_before_period_end_through_the_next_period()
    {
        var (book, program) = GoldOnDecember30(TierPolicy.HoldThroughNextPeriod);
        Assert.Equal("Gold", TierOn(book, program, 2027, 1, 1));
        Assert.Equal("Gold", TierOn(book, program, 2027, 12, 31));
        Assert.Equal("Bronze", TierOn(book, program, 2028, 1, 1));
        var status = TierEvaluator.Evaluate(book.State, program, new DateOnly(2027, 6, 1));
        Assert.Equal((new DateOnly(2027, 12, 31), 15_000L), (status.HoldsUntil, status.PointsToKeepTier));
    }

    [Fact]
    public void Default_policy_drops_to_what_the_last_window_earned()
    {
        var catalog = Seeds.Catalog(Ladder());
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 12, 30), Line(15_000m)), catalog).Book;
        book = book.Apply(Purchase("r2", At(2027, 5, 1), Line(6_000m)), catalog).Book;
        Assert.Equal("Silver", TierOn(book, catalog.Latest, 2028, 1, 1));
        Assert.Equal("Silver", TierOn(book, catalog.Latest, 2028, 12, 31));
    }

    [Fact]
    public void Reset_policy_drops_everybody_to_base_and_zero_at_period_end()
    {
        var (book, program) = GoldOnDecember30(TierPolicy.ResetToBase);
        var review = MemberReview.ReviewAt(book.State, program, new DateOnly(2027, 1, 1));
        Assert.Equal(("Bronze", 0L), (review.State.Tier, review.State.QualifyingPoints));
        var downgrade = Assert.Single(review.Events.OfType<TierDowngraded>());
        Assert.Equal("m1/window:2026-12-31/tier.downgraded/Bronze", downgrade.Id);
    }

    [Fact]
    public void Drop_one_policy_steps_down_one_tier_per_period()
    {
        var (book, program) = GoldOnDecember30(TierPolicy.DropOneTier);
        Assert.Equal("Gold", TierOn(book, program, 2027, 6, 1));
        Assert.Equal("Silver", TierOn(book, program, 2028, 1, 1));
        Assert.Equal("Bronze", TierOn(book, program, 2029, 1, 1));
    }

    [Fact]
    public void Rolling_policy_reevaluates_as_months_leave_the_window()
    {
        var catalog = Seeds.Catalog(Ladder(TierPolicy.RollingWindow));
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 3, 15), Line(15_000m)), catalog).Book;
        var status = TierEvaluator.Evaluate(book.State, catalog.Latest, new DateOnly(2026, 4, 1));
        Assert.Equal(("Gold", new DateOnly(2027, 2, 28), (DateOnly?)null), (status.Tier, status.HoldsUntil, status.NextTierDeadline));
        Assert.Equal("Gold", TierOn(book, catalog.Latest, 2027, 2, 28));
        Assert.Equal("Bronze", TierOn(book, catalog.Latest, 2027, 3, 1));
    }

    [Fact]
    public void Near_next_tier_fires_once_when_the_member_comes_within_the_margin()
    {
        var catalog = Seeds.Catalog(Ladder());
        var first = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 3, 1), Line(4_200m)), catalog);
        var near = Assert.Single(first.Transition.Events.OfType<NearNextTier>());
        Assert.Equal(("Silver", 800L, new DateOnly(2026, 12, 31)), (near.NextTier, near.PointsLeft, near.By));
        var second = first.Book.Apply(Purchase("r2", At(2026, 3, 2), Line(100m)), catalog);
        Assert.Empty(second.Transition.Events.OfType<NearNextTier>());
    }

    [Theory]
    [InlineData(PeriodKind.CalendarYear, 12, "2025-06-15", "2027-03-01", "2027-01-01", "2027-12-31")]
    [InlineData(PeriodKind.CalendarYear, 24, "2025-06-15", "2027-03-01", "2027-01-01", "2028-12-31")]
    [InlineData(PeriodKind.CalendarYear, 36, "2025-06-15", "2025-06-15", "2025-01-01", "2027-12-31")]
    [InlineData(PeriodKind.Anniversary, 12, "2026-01-31", "2026-03-01", "2026-01-31", "2027-01-30")]
    [InlineData(PeriodKind.Anniversary, 12, "2024-02-29", "2028-03-01", "2028-02-29", "2029-02-27")]
    [InlineData(PeriodKind.Anniversary, 24, "2026-05-10", "2028-05-09", "2026-05-10", "2028-05-09")]
    [InlineData(PeriodKind.Rolling, 12, "2020-01-01", "2027-03-15", "2026-04-01", "2027-03-31")]
    public void Windows_are_anchored_as_documented(PeriodKind kind, int months, string enrolled, string date, string start, string end)
    {
        var window = QualificationWindow.At(new QualificationPeriod(kind, months), DateOnly.Parse(enrolled), DateOnly.Parse(date));
        Assert.Equal((DateOnly.Parse(start), DateOnly.Parse(end)), (window.Start, window.End));
    }

    [Fact]
    public void Anniversary_periods_close_on_the_members_own_date()
    {
        var catalog = Seeds.Catalog(Ladder(period: new QualificationPeriod(PeriodKind.Anniversary, 12)));
        var book = Enrol(catalog.Latest, new DateOnly(2026, 4, 10)).Apply(Purchase("r1", At(2026, 5, 1), Line(5_000m)), catalog).Book;
        Assert.Equal(new DateOnly(2027, 4, 9), book.State.WindowEnd);
        Assert.Equal("Silver", TierOn(book, catalog.Latest, 2028, 4, 9));
        Assert.Equal("Bronze", TierOn(book, catalog.Latest, 2028, 4, 10));
    }
}
