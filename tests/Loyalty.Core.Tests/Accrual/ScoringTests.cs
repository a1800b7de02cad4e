using Loyalty.Core.Accrual;
using Loyalty.Core.Money;

namespace Loyalty.Core.Tests;

public class ScoringTests
{
    private static (ReceiptScore Total, LineScore[] Lines) Score(Programs.ProgramDefinition definition, decimal discount, params Receipts.ReceiptLine[] lines)
    {
        var receipt = Seeds.Purchase("r", Seeds.At(2026, 3, 1), lines);
        var scores = new LineScore[lines.Length];
        var total = ReceiptScorer.Score(Seeds.Compile(definition), receipt, scores, discount);
        return (total, scores);
    }

    private static readonly Programs.ProgramDefinition Rules = Seeds.Ladder() with
    {
        Earn = new EarnRules
        {
            PointsPerCurrencyUnit = 1m,
            CategoryMultipliers = new Dictionary<string, decimal> { ["pet-food"] = 2m },
            ExcludedCategories = ["gift-cards"],
            ExcludedSkus = ["deposit"],
            MinimumSpend = 50m,
            MultipliersQualify = false,
        },
    };

    [Fact]
    public void Points_are_per_line_with_multipliers_and_exclusions()
    {
        var (total, lines) = Score(Rules, 0m, Seeds.Line(99.90m), Seeds.Bags(1, 250.50m), Seeds.Line(500m, "gift-cards"), new("deposit", "toys", 1, 2m));
        Assert.Equal([99, 501, 0, 0], lines.Select(l => l.Points));
        Assert.Equal([99, 250, 0, 0], lines.Select(l => l.QualifyingPoints));
        Assert.Equal(new ReceiptScore(600, 349), total);
    }

    [Fact]
    public void Below_minimum_spend_earns_nothing() => Assert.Equal(0, Score(Rules, 0m, Seeds.Line(49.99m)).Total.Points);

    [Theory]
    [InlineData(RoundingMode.Down, 99)]
    [InlineData(RoundingMode.Nearest, 100)]
    [InlineData(RoundingMode.Up, 100)]
    public void Rounding_follows_the_program(RoundingMode mode, long expected) =>
        Assert.Equal(expected, Score(Seeds.Ladder() with { Rounding = mode }, 0m, Seeds.Line(99.50m)).Total.Points);

    [Fact]
    public void A_voucher_discount_reduces_every_line_in_proportion()
    {
        var (total, lines) = Score(Seeds.Ladder(), 100m, Seeds.Line(300m), Seeds.Line(100m));
        Assert.Equal([225, 75], lines.Select(l => l.Points));
        Assert.Equal(300, total.Points);
    }
}
