using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loyalty.Core.Application;
using Loyalty.Core.Segments;

namespace Loyalty.Core.Tests;

/// <summary>Segments behave like sets: the empty one is everyone, AND is intersection, wider criteria never lose a member.</summary>
public class SegmentProperties
{
    private static readonly DateOnly Today = new(2027, 6, 15);
    private static readonly string[] TierNames = ["Bronze", "Silver", "Gold"];
    private static readonly string[] InterestNames = ["pets", "garden", "Toys", "fishing"];
    private static readonly ConsentChannel[] Channels = [ConsentChannel.Email, ConsentChannel.Sms, ConsentChannel.Push];
    private const int Criteria = 13;

    [Property(MaxTest = 300)]
    public Property The_empty_segment_matches_every_member() =>
        Prop.ForAll(Members().ToArbitrary(), member => CompiledSegment.Everyone.Matches(member, Today));

    [Property(MaxTest = 500)]
    public Property Criteria_split_in_two_segments_match_exactly_the_members_both_match() =>
        Prop.ForAll(Definitions().ToArbitrary(), Gen.Choose(0, (1 << Criteria) - 1).ToArbitrary(), Members().ToArbitrary(), (segment, mask, member) =>
        {
            var left = Only(segment, i => (mask & 1 << i) != 0);
            var right = Only(segment, i => (mask & 1 << i) == 0);
            Assert.Equal(segment, Only(segment, _ => true));
            Assert.Equal(Matches(segment, member), Matches(left, member) && Matches(right, member));
        });

    [Property(MaxTest = 500)]
    public Property Widening_a_criterion_never_loses_a_member() =>
        Prop.ForAll(Definitions().ToArbitrary(), Gen.Choose(0, 400).ToArbitrary(), Members().ToArbitrary(), (segment, by, member) =>
        {
            if (Matches(segment, member)) Assert.True(Matches(Widen(segment, by), member), $"lost by widening {by}");
        });

    [Property(MaxTest = 500)]
    public Property Rfm_scores_stay_in_1_to_5_and_rise_with_recency_frequency_and_spend() =>
        Prop.ForAll(Members().ToArbitrary(), (from d in Gen.Choose(0, 400) from p in Gen.Choose(0, 20) from m in Gen.Choose(0, 50_000) select (d, p, m))
            .ToArbitrary(), (member, more) =>
        {
            var (days, purchases, spend) = more;
            var scores = RfmScores.Of(member, Today, RfmThresholds.Default);
            Assert.All(new[] { scores.Recency, scores.Frequency, scores.Monetary }, s => Assert.InRange(s, 1, 5));
            var older = member with { LastPurchaseOn = member.LastPurchaseOn?.AddDays(-days) };
            Assert.True(RfmScores.Of(older, Today, RfmThresholds.Default).Recency <= scores.Recency);
            Assert.True(RfmScores.Of(member with { LastPurchaseOn = null }, Today, RfmThresholds.Default).Recency <= scores.Recency);
            Assert.True(RfmScores.Of(member with { PurchaseCount = member.PurchaseCount + purchases }, Today, RfmThresholds.Default)
                .Frequency >= scores.Frequency);
            Assert.True(RfmScores.Of(member with { Spend = member.Spend + spend }, Today, RfmThresholds.Default).Monetary >= scores.Monetary);
        });

    private static bool Matches(SegmentDefinition segment, MemberFacts member) => CompiledSegment.Compile(segment).Value.Matches(member, Today);

    private static Gen<MemberFacts> Members() =>
        from tier in Gen.Choose(0, 2)
        from balance in Gen.Choose(-500, 30_000)
        from qualifying in Gen.Choose(0, 20_000)
        from left in Gen.Choose(1, 6_000)
        from lastDaysAgo in Gen.Choose(-1, 800)
        from purchases in Gen.Choose(0, 40)
        from spend in Gen.Choose(-1_000, 60_000)
        from channels in Gen.Elements<ImmutableArray<string>>([], ["store"], ["online"], ["online", "store"])
        from interests in Some(InterestNames)
        from birthMonth in Gen.Choose(0, 12)
        from enrolledDaysAgo in Gen.Choose(0, 2_000)
        from consents in Some(Channels)
        select new MemberFacts
        {
            MemberId = "m1",
            Tier = TierNames[tier],
            NextTier = tier < 2 ? TierNames[tier + 1] : null,
            Balance = balance,
            QualifyingPoints = qualifying,
            PointsToNextTier = tier < 2 ? left : null,
            LastPurchaseOn = lastDaysAgo < 0 ? null : Today.AddDays(-lastDaysAgo),
            PurchaseCount = lastDaysAgo < 0 ? 0 : purchases,
            Spend = spend,
            Channels = channels,
            Interests = [.. interests],
            BirthDate = birthMonth == 0 ? null : new DateOnly(1980, birthMonth, 1),
            EnrolledOn = Today.AddDays(-enrolledDaysAgo),
            Consents = [.. consents],
        };

    private static Gen<Bounds<T>?> Range<T>(int low, int high, Func<int, T> to) where T : struct, IComparable<T> =>
        Gen.Frequency(
            (4, Gen.Constant<Bounds<T>?>(null)),
            (1, from a in Gen.Choose(low, high)
                from b in Gen.Choose(low, high)
                from ends in Gen.Choose(0, 2)
                select (Bounds<T>?)new Bounds<T>
                {
                    Min = ends == 1 ? null : to(Math.Min(a, b)),
                    Max = ends == 0 ? null : to(Math.Max(a, b)),
                }));

    private static Gen<T[]> Some<T>(T[] items) => Gen.SubListOf(items).Select(l => l.ToArray());

    /// <summary>Mostly the empty list, the criterion's "not set": a few criteria at a time leave members to match.</summary>
    private static Gen<T[]> SomeOrNone<T>(T[] items) => Gen.Frequency((4, Gen.Constant(Array.Empty<T>())), (1, Some(items)));

    private static Gen<T?> Maybe<T>(Gen<T> gen) where T : class => Gen.Frequency((4, Gen.Constant<T?>(null)), (1, gen.Select(v => (T?)v)));

    private static Gen<SegmentDefinition> Definitions() =>
        from tiers in SomeOrNone(TierNames)
        from points in Range(-500, 30_000, v => (long)v)
        from qualifying in Range(0, 20_000, v => (long)v)
        from within in Gen.Frequency((4, Gen.Constant<long?>(null)), (1, Gen.Choose(1, 6_000).Select(v => (long?)v)))
        from recencyDays in Range(0, 800, v => v)
        from never in Gen.Elements(false, false, false, false, true)
        from purchases in Range(0, 40, v => v)
        from spend in Range(-1_000, 60_000, v => (decimal)v)
        from rfm in Maybe(from r in Range(1, 5, v => v) from f in Range(1, 5, v => v) from m in Range(1, 5, v => v) select new RfmFilter { Recency = r,
            Frequency = f, Monetary = m })
        from channel in Gen.Elements<ChannelFilter?>(null, null, null, null, null, null, null, null, null, null, ChannelFilter.Store, ChannelFilter.Online,
            ChannelFilter.Both, ChannelFilter.StoreOnly, ChannelFilter.OnlineOnly)
        from interests in SomeOrNone(InterestNames)
        from months in SomeOrNone(Enumerable.Range(1, 12).ToArray())
        from enrolled in Range(0, 2_000, v => v)
        from consents in SomeOrNone(Channels)
        select new SegmentDefinition
        {
            Tiers = [.. tiers],
            Points = points,
            QualifyingPoints = qualifying,
            WithinPointsOfNextTier = within,
            Recency = recencyDays is null && !never ? null : new RecencyFilter { Days = recencyDays, IncludeNeverPurchased = never },
            Purchases = purchases,
            Spend = spend,
            Rfm = rfm,
            Channels = channel,
            Interests = [.. interests],
            BirthdayMonths = [.. months],
            EnrolledDays = enrolled,
            Consents = [.. consents],
        };

    /// <summary>The segment with only the criteria <paramref name="keep"/> picks (numbered in declaration order).</summary>
    private static SegmentDefinition Only(SegmentDefinition s, Func<int, bool> keep) => new()
    {
        Tiers = keep(0) ? s.Tiers : [],
        Points = keep(1) ? s.Points : null,
        QualifyingPoints = keep(2) ? s.QualifyingPoints : null,
        WithinPointsOfNextTier = keep(3) ? s.WithinPointsOfNextTier : null,
        Recency = keep(4) ? s.Recency : null,
        Purchases = keep(5) ? s.Purchases : null,
        Spend = keep(6) ? s.Spend : null,
        Rfm = keep(7) ? s.Rfm : null,
        Channels = keep(8) ? s.Channels : null,
        Interests = keep(9) ? s.Interests : [],
        BirthdayMonths = keep(10) ? s.BirthdayMonths : [],
        EnrolledDays = keep(11) ? s.EnrolledDays : null,
        Consents = keep(12) ? s.Consents : [],
    };

    /// <summary>Every criterion loosened: ranges by <paramref name="by"/> each way, one more of each "any of", one fewer "all of".</summary>
    private static SegmentDefinition Widen(SegmentDefinition s, int by) => new()
    {
        Tiers = s.Tiers.Count == 0 ? [] : [.. s.Tiers.Union(["Gold"])],
        Points = Wider(s.Points, v => v - by, v => v + by),
        QualifyingPoints = Wider(s.QualifyingPoints, v => Math.Max(0, v - by), v => v + by),
        WithinPointsOfNextTier = s.WithinPointsOfNextTier + by,
        Recency = s.Recency is { } r ? new RecencyFilter { Days = Wider(r.Days, v => Math.Max(0, v - by), v => v + by),
        IncludeNeverPurchased = r.IncludeNeverPurchased || by % 2 == 0 } : null,
        Purchases = Wider(s.Purchases, v => Math.Max(0, v - by), v => v + by),
        Spend = Wider(s.Spend, v => v - by, v => v + by),
        Rfm = s.Rfm is { } rfm
            ? new RfmFilter
            {
                Recency = Wider(rfm.Recency, v => Math.Max(1, v - by), v => Math.Min(5, v + by)),
                Frequency = Wider(rfm.Frequency, v => Math.Max(1, v - by), v => Math.Min(5, v + by)),
                Monetary = Wider(rfm.Monetary, v => Math.Max(1, v - by), v => Math.Min(5, v + by)),
            }
            : null,
        Channels = s.Channels switch
        {
            ChannelFilter.StoreOnly or ChannelFilter.Both => ChannelFilter.Store,
            ChannelFilter.OnlineOnly => ChannelFilter.Online,
            _ => null,
        },
        Interests = s.Interests.Count == 0 ? [] : [.. s.Interests, "garden"],
        BirthdayMonths = s.BirthdayMonths.Count == 0 ? [] : [.. s.BirthdayMonths, 1 + by % 12],
        EnrolledDays = Wider(s.EnrolledDays, v => Math.Max(0, v - by), v => v + by),
        Consents = [.. s.Consents.Skip(by % 2)],
    };

    private static Bounds<T>? Wider<T>(Bounds<T>? bounds, Func<T, T> lower, Func<T, T> raise) where T : struct, IComparable<T> =>
        bounds is null ? null : new Bounds<T> { Min = bounds.Min is { } min ? lower(min) : null, Max = bounds.Max is { } max ? raise(max) : null };
}
