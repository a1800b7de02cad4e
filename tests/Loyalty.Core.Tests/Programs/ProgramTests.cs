using Loyalty.Core.Accrual;
using Loyalty.Core.Programs;
using Loyalty.Core.Tiers;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Tests;

public class ProgramTests
{
    private static IReadOnlyList<ValidationError> Errors(ProgramDefinition p) => ProgramValidator.Validate(p);

    [Fact]
    public void The_seed_programs_are_valid()
    {
        Assert.Empty(Errors(Seeds.Ladder()));
        Assert.Empty(Errors(Seeds.Till()));
        foreach (var policy in Enum.GetValues<TierPolicy>()) Assert.Empty(Errors(Seeds.Ladder(policy)));
    }

    [Fact]
    public void Unknown_currency_and_time_zone_are_reported_with_paths()
    {
        var errors = Errors(Seeds.Ladder() with { Currency = "KRR", TimeZone = "Europe/Atlantis" });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.UnknownCurrency, Path: "currency" });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.UnknownTimeZone, Path: "timeZone" });
    }

    [Fact]
    public void A_ladder_must_start_at_zero_and_rise_with_unique_names()
    {
        var errors = Errors(Seeds.Ladder() with
        {
            Tiers = [new TierDefinition { Name = "A", Threshold = 10 }, new TierDefinition { Name = "A", Threshold = 5 }],
        });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.OutOfRange, Path: "tiers[0].threshold" });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.Duplicate, Path: "tiers[1].name" });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.NotAscending, Path: "tiers[1].threshold" });
    }

    [Theory]
    [InlineData(PeriodKind.CalendarYear, 18, TierPolicy.HoldThroughNextPeriod, "qualification.months")]
    [InlineData(PeriodKind.Rolling, 12, TierPolicy.ResetToBase, "tierPolicy")]
    [InlineData(PeriodKind.Anniversary, 24, TierPolicy.RollingWindow, "tierPolicy")]
    [InlineData(PeriodKind.Rolling, 40, TierPolicy.RollingWindow, "qualification.months")]
    public void Periods_and_policies_must_fit(PeriodKind kind, int months, TierPolicy policy, string path)
    {
        var errors = Errors(Seeds.Ladder() with { Qualification = new QualificationPeriod(kind, months), TierPolicy = policy });
        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void Automatic_vouchers_and_denominations_exclude_each_other()
    {
        var errors = Errors(Seeds.Ladder() with
        {
            Vouchers = new VoucherRules { Automatic = new AutomaticVoucherRule(2_000, 100m), Denominations = [new(2_000, 100m)] },
        });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.InvalidCombination, Path: "vouchers.denominations" });
    }

    [Fact]
    public void A_category_cannot_be_both_excluded_and_multiplied()
    {
        var errors = Errors(Seeds.Ladder() with
        {
            Earn = new EarnRules { CategoryMultipliers = new Dictionary<string, decimal> { ["gift-cards"] = 2m }, ExcludedCategories = ["gift-cards"] },
        });
        Assert.Contains(errors, e => e is { Code: ErrorCodes.InvalidCombination, Path: "earn.categoryMultipliers.gift-cards" });
    }

    [Fact]
    public void A_catalog_picks_the_version_in_force_and_rejects_currency_changes()
    {
        var v1 = Seeds.Ladder();
        var v2 = v1 with { Version = 2, EffectiveFrom = Seeds.At(2026, 6, 1, 0), Earn = new EarnRules { PointsPerCurrencyUnit = 2m } };
        var catalog = ProgramCatalog.Create(v1, v2).Value;
        Assert.Equal(1, catalog.At(Seeds.At(2026, 5, 31, 23))!.Version);
        Assert.Equal(2, catalog.At(Seeds.At(2026, 6, 1, 1))!.Version);
        Assert.Null(catalog.At(v1.EffectiveFrom.AddTicks(-1)));

        var bad = ProgramCatalog.Create(v1, v2 with { Currency = "NOK" });
        Assert.Contains(bad.Errors, e => e is { Code: ErrorCodes.CurrencyMismatch, Path: "versions[1].currency" });
        var invalid = ProgramCatalog.Create(v1, v2 with { Currency = "XXX" });
        Assert.Contains(invalid.Errors, e => e is { Code: ErrorCodes.UnknownCurrency, Path: "versions[1].currency" });
    }

    [Fact]
    public void Compile_returns_errors_instead_of_throwing()
    {
        var result = CompiledProgram.Compile(Seeds.Ladder() with { Tiers = [] });
        Assert.False(result.IsValid);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }
}
