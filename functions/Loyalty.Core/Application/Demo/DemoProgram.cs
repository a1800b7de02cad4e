using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.StampCards;
using Loyalty.Core.Tiers;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Application.Demo;

/// <summary>
/// The seeds' program: Bronze/Silver/Gold at 5/10/15 %, vouchers chosen at the till (2,000 points for 100 kr, 4,000 for
/// 200 kr, 10,000 for 500 kr), every 10th bag of pet food 150 kr off.
/// </summary>
public static class DemoProgram
{
    public const string Id = "demo";

    public static ProgramDefinition Definition(DateTimeOffset effectiveFrom) => new()
    {
        ProgramId = Id,
        Version = 1,
        EffectiveFrom = effectiveFrom,
        Currency = "SEK",
        TimeZone = "Europe/Stockholm",
        Tiers =
        [
            new TierDefinition { Name = "Bronze", Threshold = 0, Benefits = [new Benefit("discount-percent", 5)] },
            new TierDefinition { Name = "Silver", Threshold = 5_000, Benefits = [new Benefit("discount-percent", 10), new Benefit("free-shipping")] },
            new TierDefinition { Name = "Gold", Threshold = 15_000,
            Benefits = [new Benefit("discount-percent", 15), new Benefit("free-shipping"), new Benefit("free-repairs")] },
        ],
        Qualification = new QualificationPeriod(PeriodKind.CalendarYear, 12),
        PointLifetimeMonths = 12,
        NearNextTierMargin = 1_000,
        Vouchers = new VoucherRules { Denominations = [new(2_000, 100m), new(4_000, 200m), new(10_000, 500m)], ValidDays = 90 },
        StampCards =
        [
            new StampCardDefinition
            {
                Id = "bags",
                Name = "Every 10th bag",
                Rule = StampRule.PerItem,
                Qualifying = new LineSelector { Categories = ["pet-food"] },
                StampsForReward = 10,
                Reward = new Reward { Value = 150m },
            },
        ],
        WelcomeReward = new Reward { Value = 50m, ValidDays = 30 },
    };
}
