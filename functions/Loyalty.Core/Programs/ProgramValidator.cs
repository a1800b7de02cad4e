using Loyalty.Core.Money;
using Loyalty.Core.Receipts;
using Loyalty.Core.Tiers;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Programs;

/// <summary>Checks a program definition and reports every problem with a field path, so a retailer can fix the whole definition in one go.</summary>
public static class ProgramValidator
{
    // Upper bounds chosen so no accepted program and receipt can overflow: a line earns at most maxLineAmount ×
    // MaxPointsPerCurrencyUnit × MaxMultiplier ≤ 10^14 points, a receipt of ReceiptValidator.MaxLines lines 5 × 10^16,
    // far below 2^63. Accrual arithmetic is checked all the same, so a case these miss is refused, never wrapped.

    public const decimal MaxPointsPerCurrencyUnit = 1_000m;
    public const decimal MaxMultiplier = 100m;

    /// <summary>Tier thresholds, voucher costs, the near-next-tier margin and <see cref="ProgramDefinition.MaxPointsPerReceipt"/>.</summary>
    public const long MaxPoints = 1_000_000_000_000;

    /// <summary>Voucher, denomination and reward values, in the program's currency.</summary>
    public const decimal MaxVoucherValue = 1_000_000m;

    /// <summary>Validity of vouchers and rewards: ten years.</summary>
    public const int MaxValidDays = 3_660;

    public const int MaxStampsForReward = 1_000;

    /// <summary>Tier, stamp card and benefit names, and the categories and SKUs rules name (as long as a receipt line's).</summary>
    public const int MaxNameLength = ReceiptValidator.MaxTextLength;

    /// <summary>Entries in each of the rules' lists (multipliers, exclusions, selectors, tiers, benefits, denominations, stamp cards).</summary>
    public const int MaxListLength = 1_000;

    /// <summary>Every rule: what a new program or version must pass.</summary>
    public static IReadOnlyList<ValidationError> Validate(ProgramDefinition program) => Validate(program, published: false);

    /// <param name="published">
    /// A version stored already: it is checked by the rules that make it computable only, not by the bounds (which may
    /// postdate it), so a program published before a bound was added still loads and its receipts are still scored.
    /// </param>
    internal static IReadOnlyList<ValidationError> Validate(ProgramDefinition program, bool published)
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
        if (!published) ValidateBounds(program, errors);
        return errors.Items;
    }

    private static void ValidateBounds(ProgramDefinition program, ErrorList errors)
    {
        var earn = program.Earn;
        if (earn.PointsPerCurrencyUnit > MaxPointsPerCurrencyUnit)
            errors.Add(ErrorCodes.OutOfRange, "earn.pointsPerCurrencyUnit", $"pointsPerCurrencyUnit is at most {MaxPointsPerCurrencyUnit}.");
        if (earn.MinimumSpend > ReceiptValidator.MaxAmount)
            errors.Add(ErrorCodes.OutOfRange, "earn.minimumSpend", $"minimumSpend is at most {ReceiptValidator.MaxAmount}.");
        Count(earn.CategoryMultipliers.Count, "earn.categoryMultipliers", errors);
        foreach (var (category, multiplier) in earn.CategoryMultipliers)
        {
            if (multiplier > MaxMultiplier)
                errors.Add(ErrorCodes.OutOfRange, $"earn.categoryMultipliers.{category}", $"A multiplier is at most {MaxMultiplier}.");
            if (category.Length > MaxNameLength || !Texts.IsPrintable(category))
                errors.Add(ErrorCodes.OutOfRange, "earn.categoryMultipliers", $"A category is at most {MaxNameLength} characters, without control characters.");
        }
        Names(earn.ExcludedCategories, "earn.excludedCategories", errors);
        Names(earn.ExcludedSkus, "earn.excludedSkus", errors);

        if (program.Tiers is { } tiers)
        {
            Count(tiers.Count, "tiers", errors);
            for (var i = 0; i < tiers.Count; i++)
            {
                Name(tiers[i].Name, $"tiers[{i}].name", errors);
                if (tiers[i].Threshold > MaxPoints) errors.Add(ErrorCodes.OutOfRange, $"tiers[{i}].threshold", $"A threshold is at most {MaxPoints}.");
                Count(tiers[i].Benefits.Count, $"tiers[{i}].benefits", errors);
                for (var b = 0; b < tiers[i].Benefits.Count; b++)
                    Name(tiers[i].Benefits[b].Kind, $"tiers[{i}].benefits[{b}].kind", errors);
            }
        }
        if (program.NearNextTierMargin > MaxPoints)
            errors.Add(ErrorCodes.OutOfRange, "nearNextTierMargin", $"nearNextTierMargin is at most {MaxPoints}.");

        var vouchers = program.Vouchers;
        if (vouchers.Automatic is { } auto)
        {
            if (auto.EveryPoints > MaxPoints) errors.Add(ErrorCodes.OutOfRange, "vouchers.automatic.everyPoints", $"everyPoints is at most {MaxPoints}.");
            MaxValue(auto.Value, "vouchers.automatic.value", errors);
        }
        Count(vouchers.Denominations.Count, "vouchers.denominations", errors);
        for (var i = 0; i < vouchers.Denominations.Count; i++)
        {
            if (vouchers.Denominations[i].Points > MaxPoints)
                errors.Add(ErrorCodes.OutOfRange, $"vouchers.denominations[{i}].points", $"A denomination costs at most {MaxPoints} points.");
            MaxValue(vouchers.Denominations[i].Value, $"vouchers.denominations[{i}].value", errors);
        }
        MaxDays(vouchers.ValidDays, "vouchers.validDays", errors);

        Count(program.StampCards.Count, "stampCards", errors);
        for (var i = 0; i < program.StampCards.Count; i++)
        {
            var card = program.StampCards[i];
            var path = $"stampCards[{i}]";
            Name(card.Name, $"{path}.name", errors);
            if (card.StampsForReward > MaxStampsForReward)
                errors.Add(ErrorCodes.OutOfRange, $"{path}.stampsForReward", $"A card needs at most {MaxStampsForReward} stamps for its reward.");
            if (card.AmountPerStamp > ReceiptValidator.MaxAmount)
                errors.Add(ErrorCodes.OutOfRange, $"{path}.amountPerStamp", $"amountPerStamp is at most {ReceiptValidator.MaxAmount}.");
            Selector(card.Qualifying, $"{path}.qualifying", errors);
            RewardBounds(card.Reward, $"{path}.reward", errors);
        }
        if (program.WelcomeReward is { } welcome) RewardBounds(welcome, "welcomeReward", errors);
        if (program.BirthdayReward is { } birthday) RewardBounds(birthday, "birthdayReward", errors);

        if (program.MaxLineAmount is <= 0 or > ReceiptValidator.MaxAmount)
            errors.Add(ErrorCodes.OutOfRange, "maxLineAmount", $"maxLineAmount is above 0 and at most {ReceiptValidator.MaxAmount}.");
        if (program.MaxPointsPerReceipt is < 1 or > MaxPoints)
            errors.Add(ErrorCodes.OutOfRange, "maxPointsPerReceipt", $"maxPointsPerReceipt is 1 to {MaxPoints}.");
    }

    /// <summary>A name the structural rules found present (not white space) is bounded text here: printable, not only invisible characters.</summary>
    private static void Name(string? name, string path, ErrorList errors)
    {
        if (!string.IsNullOrWhiteSpace(name)) errors.Text(name, path, MaxNameLength);
    }

    private static void RewardBounds(Reward reward, string path, ErrorList errors)
    {
        MaxValue(reward.Value, $"{path}.value", errors);
        MaxDays(reward.ValidDays, $"{path}.validDays", errors);
        if (reward.FreeItem is { } item) Selector(item, $"{path}.freeItem", errors);
    }

    private static void MaxValue(decimal value, string path, ErrorList errors)
    {
        if (value > MaxVoucherValue) errors.Add(ErrorCodes.OutOfRange, path, $"A value is at most {MaxVoucherValue}.");
    }

    private static void MaxDays(int days, string path, ErrorList errors)
    {
        if (days > MaxValidDays) errors.Add(ErrorCodes.OutOfRange, path, $"Valid for at most {MaxValidDays} days.");
    }

    private static void Selector(LineSelector selector, string path, ErrorList errors)
    {
        Names(selector.Skus, $"{path}.skus", errors);
        Names(selector.Categories, $"{path}.categories", errors);
    }

    internal static void Count(int count, string path, ErrorList errors)
    {
        if (count > MaxListLength) errors.Add(ErrorCodes.OutOfRange, path, $"{path} has at most {MaxListLength} entries.");
    }

    private static void Names(IReadOnlyList<string> names, string path, ErrorList errors)
    {
        Count(names.Count, path, errors);
        for (var i = 0; i < names.Count; i++)
            if (names[i] is not { } name || name.Length > MaxNameLength || !Texts.IsPrintable(name))
                errors.Add(ErrorCodes.OutOfRange, $"{path}[{i}]", $"An entry is at most {MaxNameLength} characters, without control characters.");
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
                errors.Add(ErrorCodes.NotAscending, $"tiers[{i}].threshold",
                    $"Thresholds must rise up the ladder: {tiers[i].Threshold} is not above {tiers[i - 1].Threshold}.");
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
                "A rolling qualification window goes with the RollingWindow tier policy and only with it: a rolling window has no period " +
                    "end to apply another policy at.");
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
        if (rules.MaxOpen is < 1 or > ReceiptValidator.MaxVouchers)
            errors.Add(ErrorCodes.OutOfRange, "vouchers.maxOpen", $"maxOpen must be between 1 and {ReceiptValidator.MaxVouchers}.");
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
