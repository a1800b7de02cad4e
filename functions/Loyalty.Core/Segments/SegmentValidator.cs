using Loyalty.Core.Programs;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Segments;

/// <summary>Checks a segment definition and reports every problem with a field path, as <see cref="ProgramValidator"/> does.</summary>
public static class SegmentValidator
{
    /// <param name="program">When given, tier names must be tiers of this program version.</param>
    public static IReadOnlyList<ValidationError> Validate(SegmentDefinition segment, CompiledProgram? program = null)
    {
        var errors = new ErrorList();
        Validate(segment, program, "", errors);
        return errors.Items;
    }

    internal static void Validate(SegmentDefinition segment, CompiledProgram? program, string prefix, ErrorList errors)
    {
        ValidateTiers(segment.Tiers, program, Path(prefix, "tiers"), errors);
        Range(segment.Points, Path(prefix, "points"), null, null, errors);
        Range(segment.QualifyingPoints, Path(prefix, "qualifyingPoints"), 0, null, errors);
        if (segment.WithinPointsOfNextTier is < 1)
            errors.Add(ErrorCodes.OutOfRange, Path(prefix, "withinPointsOfNextTier"), "withinPointsOfNextTier must be 1 or more.");
        if (segment.Recency is { } recency) Range(recency.Days, Path(prefix, "recency.days"), 0, null, errors);
        Range(segment.Purchases, Path(prefix, "purchases"), 0, null, errors);
        Range(segment.Spend, Path(prefix, "spend"), null, null, errors);
        if (segment.Rfm is { } rfm) ValidateRfm(rfm, Path(prefix, "rfm"), errors);
        if (segment.Channels is { } channels && !Enum.IsDefined(channels))
            errors.Add(ErrorCodes.OutOfRange, Path(prefix, "channels"), "channels is one of store, online, both, storeOnly, onlineOnly.");
        ProgramValidator.Count(segment.Interests.Count, Path(prefix, "interests"), errors);
        for (var i = 0; i < segment.Interests.Count; i++)
            errors.Text(segment.Interests[i], $"{Path(prefix, "interests")}[{i}]", ProgramValidator.MaxNameLength);
        for (var i = 0; i < segment.BirthdayMonths.Count; i++)
            if (segment.BirthdayMonths[i] is < 1 or > 12)
                errors.Add(ErrorCodes.OutOfRange, $"{Path(prefix, "birthdayMonths")}[{i}]", "A month is 1 (January) to 12 (December).");
        Range(segment.EnrolledDays, Path(prefix, "enrolledDays"), 0, null, errors);
        for (var i = 0; i < segment.Consents.Count; i++)
            if (!Enum.IsDefined(segment.Consents[i]))
                errors.Add(ErrorCodes.OutOfRange, $"{Path(prefix, "consents")}[{i}]", "A consent channel is one of email, sms, push.");
    }

    internal static string Path(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private static void ValidateTiers(IReadOnlyList<string> tiers, CompiledProgram? program, string path, ErrorList errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ProgramValidator.Count(tiers.Count, path, errors);
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            if (Texts.IsBlank(tier) || tier.Length > ProgramValidator.MaxNameLength || !Texts.IsPrintable(tier))
                errors.Text(tier, $"{path}[{i}]", ProgramValidator.MaxNameLength);
            else if (!seen.Add(tier))
                errors.Add(ErrorCodes.Duplicate, $"{path}[{i}]", $"The tier '{tier}' is listed twice.");
            else if (program is not null && !program.Definition.Tiers.Any(t => t.Name == tier))
                errors.Add(ErrorCodes.SegmentUnknownTier, $"{path}[{i}]",
                    $"The program has no tier '{tier}'; its tiers are {string.Join(", ", program.Definition.Tiers.Select(t => t.Name))}.");
        }
    }

    private static void ValidateRfm(RfmFilter rfm, string path, ErrorList errors)
    {
        Range(rfm.Recency, $"{path}.recency", 1, 5, errors);
        Range(rfm.Frequency, $"{path}.frequency", 1, 5, errors);
        Range(rfm.Monetary, $"{path}.monetary", 1, 5, errors);
        if (rfm.Thresholds is not { } thresholds) return;
        Ascending(thresholds.RecencyDays, $"{path}.thresholds.recencyDays", 0, errors);
        Ascending(thresholds.Purchases, $"{path}.thresholds.purchases", 1, errors);
        Ascending(thresholds.Spend, $"{path}.thresholds.spend", 0m, errors);
    }

    /// <summary>Scores are monotone in their measure only if each score's threshold is beyond the previous one's.</summary>
    private static void Ascending<T>(IReadOnlyList<T> values, string path, T floor, ErrorList errors) where T : struct, IComparable<T>
    {
        if (values.Count != 4)
        {
            errors.Add(ErrorCodes.OutOfRange, path, "Exactly 4 thresholds are needed: where the scores 2, 3, 4 and 5 begin.");
            return;
        }
        if (values[0].CompareTo(floor) < 0) errors.Add(ErrorCodes.OutOfRange, $"{path}[0]", $"A threshold cannot be below {floor}.");
        for (var i = 1; i < values.Count; i++)
            if (values[i].CompareTo(values[i - 1]) <= 0)
                errors.Add(ErrorCodes.NotAscending, $"{path}[{i}]", $"Thresholds must rise: {values[i]} is not above {values[i - 1]}.");
    }

    private static void Range<T>(Bounds<T>? bounds, string path, T? floor, T? ceiling, ErrorList errors) where T : struct, IComparable<T>
    {
        if (bounds is null) return;
        Within(bounds.Min, $"{path}.min");
        Within(bounds.Max, $"{path}.max");
        if (bounds is { Min: { } min, Max: { } max } && min.CompareTo(max) > 0)
            errors.Add(ErrorCodes.RangeReversed, path, $"min ({min}) is above max ({max}): nobody could match.");

        void Within(T? value, string at)
        {
            if (value is not { } v) return;
            if (floor is { } f && v.CompareTo(f) < 0) errors.Add(ErrorCodes.OutOfRange, at, $"{at} cannot be below {f}.");
            if (ceiling is { } c && v.CompareTo(c) > 0) errors.Add(ErrorCodes.OutOfRange, at, $"{at} cannot be above {c}.");
        }
    }
}
