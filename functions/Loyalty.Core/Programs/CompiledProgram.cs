using System.Collections.Frozen;
using Loyalty.Core.Receipts;
using Loyalty.Core.StampCards;
using Loyalty.Core.Tiers;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Programs;

/// <summary>
/// A validated program version turned into lookup structures once, so scoring a receipt is a few dictionary
/// lookups and decimal multiplications per line. Immutable and safe to share across threads.
/// </summary>
public sealed class CompiledProgram
{
    private readonly FrozenDictionary<string, int> tierIndex;

    private CompiledProgram(ProgramDefinition definition, TimeZoneInfo zone)
    {
        Definition = definition;
        TimeZone = zone;
        var earn = definition.Earn;
        var perUnit = earn.PointsPerCurrencyUnit;
        DefaultRate = new CategoryRate(perUnit, perUnit);
        var rates = new Dictionary<string, CategoryRate>(StringComparer.Ordinal);
        foreach (var (category, multiplier) in earn.CategoryMultipliers)
            rates[category] = new CategoryRate(perUnit * multiplier, earn.MultipliersQualify ? perUnit * multiplier : perUnit);
        foreach (var category in earn.ExcludedCategories)
            rates[category] = default;
        CategoryRates = rates.ToFrozenDictionary(StringComparer.Ordinal);
        ExcludedSkus = earn.ExcludedSkus.ToFrozenSet(StringComparer.Ordinal);
        TierNames = [.. definition.Tiers.Select(t => t.Name)];
        TierThresholds = [.. definition.Tiers.Select(t => t.Threshold)];
        tierIndex = TierNames.Select((name, i) => KeyValuePair.Create(name, i)).ToFrozenDictionary(StringComparer.Ordinal);
        StampCards = [.. definition.StampCards.Select(c => new CompiledStampCard(c, c.Qualifying.Compile()))];
    }

    public ProgramDefinition Definition { get; }
    public string ProgramId => Definition.ProgramId;
    public int Version => Definition.Version;
    public string Currency => Definition.Currency;
    public TimeZoneInfo TimeZone { get; }

    internal FrozenDictionary<string, CategoryRate> CategoryRates { get; }
    internal CategoryRate DefaultRate { get; }
    internal FrozenSet<string> ExcludedSkus { get; }
    internal string[] TierNames { get; }
    internal long[] TierThresholds { get; }
    internal CompiledStampCard[] StampCards { get; }

    public string BaseTier => TierNames[0];

    /// <summary>Validates, then compiles; the errors are <see cref="ProgramValidator"/>'s.</summary>
    public static Result<CompiledProgram> Compile(ProgramDefinition definition) => Compile(definition, published: false);

    /// <param name="published">A stored version: checked without the bounds that may postdate it (<see cref="ProgramValidator.Validate(ProgramDefinition,
    /// bool)"/>).</param>
    internal static Result<CompiledProgram> Compile(ProgramDefinition definition, bool published)
    {
        var errors = ProgramValidator.Validate(definition, published);
        if (errors.Count > 0) return Result<CompiledProgram>.Fail(errors);
        ProgramValidator.TryFindTimeZone(definition.TimeZone, out var zone);
        return new CompiledProgram(definition, zone);
    }

    /// <summary>The calendar date of an instant in the program's time zone.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    public QualificationWindow WindowAt(DateOnly enrolledOn, DateOnly date) => QualificationWindow.At(Definition.Qualification, enrolledOn, date);

    /// <summary>Index of the highest tier the qualifying points reach.</summary>
    internal int QualifiedTier(long qualifyingPoints)
    {
        var i = TierThresholds.Length - 1;
        while (i > 0 && TierThresholds[i] > qualifyingPoints) i--;
        return i;
    }

    /// <summary>A tier name no longer in the ladder (renamed in a later version) counts as the base tier.</summary>
    internal int TierIndex(string name) => tierIndex.TryGetValue(name, out var i) ? i : 0;

    /// <summary>Points of an earn-month lot are valid through the last day of the month <c>PointLifetimeMonths</c> later.</summary>
    internal DateOnly LotLastValidDay(DateOnly earnMonth) => earnMonth.AddMonths(Definition.PointLifetimeMonths + 1).AddDays(-1);

    internal int StampCardIndex(string id)
    {
        for (var i = 0; i < StampCards.Length; i++)
            if (StampCards[i].Definition.Id == id) return i;
        return -1;
    }
}

/// <summary>Points and qualifying points per currency unit for one category.</summary>
internal readonly record struct CategoryRate(decimal Points, decimal Qualifying);

internal sealed record CompiledStampCard(StampCardDefinition Definition, CompiledSelector Qualifying);
