using System.Collections.Frozen;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Segments;

/// <summary>
/// A validated segment turned into plain bounds, bit masks and frozen sets once, so <see cref="Matches"/> is a handful
/// of comparisons and allocates nothing: a campaign run applies it to every member of a program.
/// Immutable and safe to share across threads.
/// </summary>
public sealed class CompiledSegment
{
    private const string Store = "store";
    private const string Online = "online";

    private readonly FrozenSet<string>? tiers;
    private readonly (long Min, long Max) points;
    private readonly (long Min, long Max) qualifying;
    private readonly long withinOfNextTier;
    private readonly (int Min, int Max)? recencyDays;
    private readonly bool neverPurchasedMatches;
    private readonly (int Min, int Max) purchases;
    private readonly (decimal Min, decimal Max) spend;
    private readonly RfmThresholds? rfmThresholds;
    private readonly (int Min, int Max) recencyScore, frequencyScore, monetaryScore;
    private readonly ChannelFilter? channels;
    private readonly FrozenSet<string>? interests;
    private readonly int birthdayMonths;
    private readonly (int Min, int Max) enrolledDays;
    private readonly int consents;

    private CompiledSegment(SegmentDefinition definition)
    {
        Definition = definition;
        tiers = definition.Tiers.Count == 0 ? null : definition.Tiers.ToFrozenSet(StringComparer.Ordinal);
        points = (definition.Points?.Min ?? long.MinValue, definition.Points?.Max ?? long.MaxValue);
        qualifying = (definition.QualifyingPoints?.Min ?? long.MinValue, definition.QualifyingPoints?.Max ?? long.MaxValue);
        withinOfNextTier = definition.WithinPointsOfNextTier ?? 0;
        if (definition.Recency is { } recency)
        {
            recencyDays = (recency.Days?.Min ?? int.MinValue, recency.Days?.Max ?? int.MaxValue);
            neverPurchasedMatches = recency.IncludeNeverPurchased;
        }
        purchases = (definition.Purchases?.Min ?? int.MinValue, definition.Purchases?.Max ?? int.MaxValue);
        spend = (definition.Spend?.Min ?? decimal.MinValue, definition.Spend?.Max ?? decimal.MaxValue);
        if (definition.Rfm is { } rfm)
        {
            rfmThresholds = rfm.Thresholds ?? RfmThresholds.Default;
            recencyScore = (rfm.Recency?.Min ?? 1, rfm.Recency?.Max ?? 5);
            frequencyScore = (rfm.Frequency?.Min ?? 1, rfm.Frequency?.Max ?? 5);
            monetaryScore = (rfm.Monetary?.Min ?? 1, rfm.Monetary?.Max ?? 5);
        }
        channels = definition.Channels;
        interests = definition.Interests.Count == 0 ? null : definition.Interests.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        foreach (var month in definition.BirthdayMonths) birthdayMonths |= 1 << month;
        enrolledDays = (definition.EnrolledDays?.Min ?? int.MinValue, definition.EnrolledDays?.Max ?? int.MaxValue);
        foreach (var channel in definition.Consents) consents |= 1 << (int)channel;
    }

    /// <summary>Everyone: the empty definition.</summary>
    public static CompiledSegment Everyone { get; } = new(new SegmentDefinition());

    public SegmentDefinition Definition { get; }

    /// <summary>Validates (see <see cref="SegmentValidator"/>), then compiles.</summary>
    public static Result<CompiledSegment> Compile(SegmentDefinition definition, CompiledProgram? program = null)
    {
        var errors = SegmentValidator.Validate(definition, program);
        return errors.Count > 0 ? Result<CompiledSegment>.Fail(errors) : new CompiledSegment(definition);
    }

    /// <summary>Whether the member is in the segment at <paramref name="today"/> (the program's local date).</summary>
    public bool Matches(MemberFacts member, DateOnly today)
    {
        if (tiers is not null && !tiers.Contains(member.Tier)) return false;
        if (!In(member.Balance, points) || !In(member.QualifyingPoints, qualifying)) return false;
        if (withinOfNextTier > 0 && !(member.PointsToNextTier is { } left && left > 0 && left <= withinOfNextTier)) return false;
        if (recencyDays is { } days && !MatchesRecency(member, today, days)) return false;
        if (!In(member.PurchaseCount, purchases) || !In(member.Spend, spend)) return false;
        if (rfmThresholds is not null)
        {
            var scores = RfmScores.Of(member, today, rfmThresholds);
            if (!In(scores.Recency, recencyScore) || !In(scores.Frequency, frequencyScore) || !In(scores.Monetary, monetaryScore)) return false;
        }
        if (channels is { } wanted && !MatchesChannels(member, wanted)) return false;
        if (interests is not null && !HasInterest(member)) return false;
        if (birthdayMonths != 0 && (member.BirthDate is not { } birth || (birthdayMonths & 1 << birth.Month) == 0)) return false;
        if (!In(today.DayNumber - member.EnrolledOn.DayNumber, enrolledDays)) return false;
        return consents == 0 || (ConsentMask(member) & consents) == consents;
    }

    private bool MatchesRecency(MemberFacts member, DateOnly today, (int Min, int Max) days) =>
        member.LastPurchaseOn is { } last ? In(Math.Max(0, today.DayNumber - last.DayNumber), days) : neverPurchasedMatches;

    private static bool MatchesChannels(MemberFacts member, ChannelFilter wanted)
    {
        var (store, online) = (member.Channels.Contains(Store), member.Channels.Contains(Online));
        return wanted switch
        {
            ChannelFilter.Store => store,
            ChannelFilter.Online => online,
            ChannelFilter.Both => store && online,
            ChannelFilter.StoreOnly => store && !online,
            _ => online && !store,
        };
    }

    private bool HasInterest(MemberFacts member)
    {
        foreach (var interest in member.Interests)
            if (interests!.Contains(interest)) return true;
        return false;
    }

    private static int ConsentMask(MemberFacts member)
    {
        var mask = 0;
        foreach (var channel in member.Consents) mask |= 1 << (int)channel;
        return mask;
    }

    private static bool In<T>(T value, (T Min, T Max) range) where T : IComparable<T> =>
        value.CompareTo(range.Min) >= 0 && value.CompareTo(range.Max) <= 0;
}
