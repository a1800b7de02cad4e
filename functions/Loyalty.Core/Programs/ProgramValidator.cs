using Loyalty.Core.Money;
using Loyalty.Core.Tiers;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Programs;

/// <summary>Checks a program definition and reports every problem with a field path, so a retailer can fix the whole definition in one go.</summary>
public static class ProgramValidator
{
    public static IReadOnlyList<ValidationError> Validate(ProgramDefinition program)
    {
        var errors = new ErrorList();
        errors.Identifier(program.ProgramId, "programId");
        if (program.Version < 1) errors.Add(ErrorCodes.OutOfRange, "version", "version must be 1 or more.");
        if (!Currencies.IsKnown(program.Currency))
            errors.Add(ErrorCodes.UnknownCurrency, "currency", $"'{program.Currency}' is not an ISO 4217 currency code.");
        if (!TryFindTimeZone(program.TimeZone, out _))
            errors.Add(ErrorCodes.UnknownTimeZone, "timeZone", $"'{program.TimeZone}' is not a known IANA time zone id (e.g. Europe/Stockholm).");
        ValidateEarn(program, errors);
        ValidateTiers(program, errors);
        ValidatePeriod(program, errors);
        if (program.PointLifetimeMonths is < 1 or > 120)
            errors.Add(ErrorCodes.OutOfRange, "pointLifetimeMonths", "pointLifetimeMonths must be between 1 and 120.");
        if (program.NearNextTierMargin < 0)
            errors.Add(ErrorCodes.OutOfRange, "nearNextTierMargin", "nearNextTierMargin cannot be negative (0 turns the event off).");
        if (program.ExpiringSoonDays is < 0 or > 366)
            errors.Add(ErrorCodes.OutOfRange, "expiringSoonDays", "expiringSoonDays must be between 0 and 366.");
        ValidateVouchers(program.Vouchers, errors);
        ValidateStampCards(program, errors);
        if (program.WelcomeReward is { } welcome) ValidateReward(welcome, "welcomeReward", errors);
        if (program.BirthdayReward is { } birthday) ValidateReward(birthday, "birthdayReward", errors);
        return errors.Items;
    }

    internal static bool TryFindTimeZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return false;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    private static void ValidateEarn(ProgramDefinition program, ErrorList errors)
    {
        var earn = program.Earn;
        if (earn.PointsPerCurrencyUnit < 0)
            errors.Add(ErrorCodes.OutOfRange, "earn.pointsPerCurrencyUnit", "pointsPerCurrencyUnit cannot be negative.");
        if (earn.MinimumSpend < 0)
            errors.Add(ErrorCodes.OutOfRange, "earn.minimumSpend", "minimumSpend cannot be negative.");
        foreach (var (category, multiplier) in earn.CategoryMultipliers)
        {
            if (multiplier < 0)
                errors.Add(ErrorCodes.OutOfRange, $"earn.categoryMultipliers.{category}", $"The multiplier for '{category}' cannot be negative.");
            if (earn.ExcludedCategories.Contains(category))
                errors.Add(ErrorCodes.InvalidCombination, $"earn.categoryMultipliers.{category}", $"'{category}' is both excluded and multiplied; choose one.");
        }
    }

    private static void ValidateTiers(ProgramDefinition program, ErrorList errors)
    {
        var tiers = program.Tiers;
        if (tiers is null || tiers.Count == 0)
        {
            errors.Add(ErrorCodes.Required, "tiers", "At least one tier (the base tier) is required.");
            return;
        }
        if (tiers[0].Threshold != 0)
            errors.Add(ErrorCodes.OutOfRange, "tiers[0].threshold", "The first tier is the base tier every member starts in; its threshold must be 0.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tiers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tiers[i].Name))
                errors.Add(ErrorCodes.Required, $"tiers[{i}].name", "Every tier needs a name.");
            else if (!names.Add(tiers[i].Name))
                errors.Add(ErrorCodes.Duplicate, $"tiers[{i}].name", $"The tier name '{tiers[i].Name}' is used twice.");
            if (i > 0 && tiers[i].Threshold <= tiers[i - 1].Threshold)
                errors.Add(ErrorCodes.NotAscending, $"tiers[{i}].threshold", $"Thresholds must rise up the ladder: {tiers[i].Threshold} is not above {tiers[i - 1].Threshold}.");
            for (var b = 0; b < tiers[i].Benefits.Count; b++)
                if (string.IsNullOrWhiteSpace(tiers[i].Benefits[b].Kind))
                    errors.Add(ErrorCodes.Required, $"tiers[{i}].benefits[{b}].kind", "Every benefit needs a kind, e.g. 'discount-percent'.");
        }
    }

    private static void ValidatePeriod(ProgramDefinition program, ErrorList errors)
    {
        var period = program.Qualification;
        var rolling = period.Kind == PeriodKind.Rolling;
        if (rolling ? period.Months is < 1 or > 36 : period.Months is not (12 or 24 or 36))
            errors.Add(ErrorCodes.OutOfRange, "qualification.months", rolling
                ? "A rolling window is 1 to 36 months long."
                : "A calendar-year or anniversary period is 12, 24 or 36 months long.");
        if (rolling != (program.TierPolicy == TierPolicy.RollingWindow))
            errors.Add(ErrorCodes.InvalidCombination, "tierPolicy",
                "A rolling qualification window goes with the RollingWindow tier policy and only with it: a rolling window has no period end to apply another policy at.");
    }

    private static void ValidateVouchers(VoucherRules rules, ErrorList errors)
    {
        if (rules.Automatic is { } auto)
        {
            if (auto.EveryPoints < 1) errors.Add(ErrorCodes.OutOfRange, "vouchers.automatic.everyPoints", "everyPoints must be at least 1.");
            if (auto.Value <= 0) errors.Add(ErrorCodes.OutOfRange, "vouchers.automatic.value", "The voucher value must be above 0.");
            if (rules.Denominations.Count > 0)
                errors.Add(ErrorCodes.InvalidCombination, "vouchers.denominations",
                    "Choose automatic vouchers or till denominations, not both: automatic conversion would never let points reach a denomination.");
        }
        for (var i = 0; i < rules.Denominations.Count; i++)
        {
            var d = rules.Denominations[i];
            if (d.Points < 1) errors.Add(ErrorCodes.OutOfRange, $"vouchers.denominations[{i}].points", "A denomination costs at least 1 point.");
            if (d.Value <= 0) errors.Add(ErrorCodes.OutOfRange, $"vouchers.denominations[{i}].value", "A denomination's value must be above 0.");
            for (var j = 0; j < i; j++)
                if (rules.Denominations[j].Value == d.Value)
                    errors.Add(ErrorCodes.Duplicate, $"vouchers.denominations[{i}].value", $"Two denominations are worth {d.Value}; the till picks by value.");
        }
        if (rules.ValidDays < 1) errors.Add(ErrorCodes.OutOfRange, "vouchers.validDays", "Vouchers must be valid for at least 1 day.");
        if (rules.MaxOpen is < 1 or > 200) errors.Add(ErrorCodes.OutOfRange, "vouchers.maxOpen", "maxOpen must be between 1 and 200.");
    }

    private static void ValidateStampCards(ProgramDefinition program, ErrorList errors)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < program.StampCards.Count; i++)
        {
            var card = program.StampCards[i];
            var path = $"stampCards[{i}]";
            errors.Identifier(card.Id, $"{path}.id", 40);
            if (card.Id is not null && !ids.Add(card.Id)) errors.Add(ErrorCodes.Duplicate, $"{path}.id", $"The stamp card id '{card.Id}' is used twice.");
            if (string.IsNullOrWhiteSpace(card.Name)) errors.Add(ErrorCodes.Required, $"{path}.name", "A stamp card needs a name.");
            if (card.StampsForReward < 1) errors.Add(ErrorCodes.OutOfRange, $"{path}.stampsForReward", "A card needs at least 1 stamp for its reward.");
            if (card.Rule == StampCards.StampRule.PerAmount && card.AmountPerStamp <= 0)
                errors.Add(ErrorCodes.OutOfRange, $"{path}.amountPerStamp", "A per-amount card needs an amountPerStamp above 0.");
            ValidateReward(card.Reward, $"{path}.reward", errors);
        }
    }

    private static void ValidateReward(Reward reward, string path, ErrorList errors)
    {
        if (reward.Value <= 0) errors.Add(ErrorCodes.OutOfRange, $"{path}.value", "A reward's value (or a free item's maximum value) must be above 0.");
        if (reward.ValidDays < 1) errors.Add(ErrorCodes.OutOfRange, $"{path}.validDays", "A reward must be valid for at least 1 day.");
        if (reward.FreeItem is { Skus.Count: 0, Categories.Count: 0 })
            errors.Add(ErrorCodes.Required, $"{path}.freeItem", "A free-item reward must name the SKUs or categories it applies to.");
    }
}
