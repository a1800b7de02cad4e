using Loyalty.Core.Application;
using Loyalty.Core.Members;
using Loyalty.Core.Segments;
using Loyalty.Core.Validation;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

public class SegmentTests
{
    private static readonly Programs.ProgramCatalog Catalog = Seeds.Catalog(Ladder());
    private static readonly Programs.CompiledProgram Program = Catalog.Latest;
    private static readonly DateOnly Today = new(2026, 4, 1);

    /// <summary>A Bronze member who bought for 4,200 kr in store on 10 March: 800 points short of Silver.</summary>
    private static MemberFacts Anna()
    {
        var receipt = Purchase("r1", At(2026, 3, 10), Line(4_200m));
        var book = Enrol(Program).Apply(receipt, Catalog).Book;
        var activity = new MemberActivity().After(receipt);
        return MemberFacts.From(book.State, activity, Program, Today, "Anna", [ConsentChannel.Email], ["Pets"], new DateOnly(1990, 4, 12));
    }

    private static CompiledSegment Compile(SegmentDefinition definition) => CompiledSegment.Compile(definition, Program).Value;

    private static bool Matches(SegmentDefinition definition, MemberFacts member) => Compile(definition).Matches(member, Today);

    [Fact]
    public void Facts_come_from_the_state_brought_up_to_the_date_the_activity_and_the_profile()
    {
        var anna = Anna();
        Assert.Equal(("Bronze", "Silver", 800L), (anna.Tier, anna.NextTier, anna.PointsToNextTier));
        // 4,200 points made two 100 kr vouchers automatically.
        Assert.Equal((200L, 4_200L), (anna.Balance, anna.QualifyingPoints));
        Assert.Equal((new DateOnly(2026, 3, 10), 1, 4_200m), (anna.LastPurchaseOn, anna.PurchaseCount, anna.Spend));
        Assert.Equal(["store"], anna.Channels.ToArray());
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(1990, 4, 12)), (anna.EnrolledOn, anna.BirthDate));
        Assert.True(anna.HasConsent(ConsentChannel.Email));
        Assert.False(anna.HasConsent(ConsentChannel.Sms));
    }

    [Fact]
    public void Close_to_the_next_tier_means_more_than_0_and_at_most_x_points_left_and_never_at_the_top()
    {
        var anna = Anna();
        Assert.True(Matches(new() { WithinPointsOfNextTier = 1_000 }, anna));
        Assert.True(Matches(new() { WithinPointsOfNextTier = 800 }, anna));
        Assert.False(Matches(new() { WithinPointsOfNextTier = 799 }, anna));
        var gold = anna with { Tier = "Gold", NextTier = null, PointsToNextTier = null };
        Assert.False(Matches(new() { WithinPointsOfNextTier = 1_000_000 }, gold));
    }

    [Fact]
    public void The_empty_segment_is_everyone_and_criteria_are_anded()
    {
        var anna = Anna();
        Assert.True(CompiledSegment.Everyone.Matches(anna, Today));
        Assert.True(Matches(new(), anna));
        Assert.True(Matches(new() { Tiers = ["Bronze", "Silver"], Points = new() { Min = 100, Max = 200 } }, anna));
        Assert.False(Matches(new() { Tiers = ["Bronze"], Points = new() { Min = 201 } }, anna));
        Assert.False(Matches(new() { Tiers = ["Silver"], Points = new() { Min = 100 } }, anna));
        Assert.True(Matches(new() { QualifyingPoints = new() { Min = 4_200, Max = 4_200 }, Spend = new() { Min = 4_000m } }, anna));
    }

    [Fact]
    public void Recency_counts_local_days_and_says_explicitly_whether_members_who_never_bought_match()
    {
        var anna = Anna(); // last bought 22 days ago
        Assert.True(Matches(new() { Recency = new() { Days = new() { Max = 22 } } }, anna));
        Assert.False(Matches(new() { Recency = new() { Days = new() { Max = 21 } } }, anna));
        var never = anna with { LastPurchaseOn = null, PurchaseCount = 0, Spend = 0m };
        var lapsed = new SegmentDefinition { Recency = new() { Days = new() { Min = 90 } } };
        Assert.False(Matches(lapsed, never));
        Assert.True(Matches(lapsed with { Recency = lapsed.Recency! with { IncludeNeverPurchased = true } }, never));
        Assert.False(Matches(lapsed with { Recency = lapsed.Recency! with { IncludeNeverPurchased = true } }, anna));
        Assert.True(Matches(new() { Purchases = new() { Max = 0 } }, never));
    }

    [Theory]
    [InlineData(10, 3, 4_200, 5, 2, 2)]
    [InlineData(30, 4, 5_000, 5, 3, 3)]
    [InlineData(31, 8, 15_000, 4, 4, 4)]
    [InlineData(365, 16, 40_000, 2, 5, 5)]
    [InlineData(366, 1, 999, 1, 1, 1)]
    [InlineData(-1, 0, -200, 1, 1, 1)] // never bought, more returned than bought
    public void Rfm_scores_use_absolute_thresholds(int daysAgo, int purchases, int spend, int r, int f, int m)
    {
        var facts = Anna() with
        {
            LastPurchaseOn = daysAgo < 0 ? null : Today.AddDays(-daysAgo),
            PurchaseCount = purchases,
            Spend = spend,
        };
        Assert.Equal(new RfmScores(r, f, m), RfmScores.Of(facts, Today, RfmThresholds.Default));
    }

    [Fact]
    public void Rfm_filters_take_score_ranges_and_a_segment_may_bring_its_own_thresholds()
    {
        var anna = Anna(); // R 5 (22 days), F 1 (one purchase), M 2 (4,200 kr)
        Assert.True(Matches(new() { Rfm = new() { Recency = new() { Min = 4 }, Monetary = new() { Min = 2, Max = 2 } } }, anna));
        Assert.False(Matches(new() { Rfm = new() { Frequency = new() { Min = 2 } } }, anna));
        var grocer = new RfmThresholds { RecencyDays = [7, 14, 21, 28], Purchases = [1, 2, 3, 4], Spend = [500m, 1_000m, 2_000m, 4_000m] };
        Assert.Equal(new RfmScores(2, 2, 5), RfmScores.Of(anna, Today, grocer));
        Assert.True(Matches(new() { Rfm = new() { Monetary = new() { Min = 5 }, Thresholds = grocer } }, anna));
    }

    [Theory]
    [InlineData(ChannelFilter.Store, true, false, true)]
    [InlineData(ChannelFilter.Online, false, true, true)]
    [InlineData(ChannelFilter.Both, false, false, true)]
    [InlineData(ChannelFilter.StoreOnly, true, false, false)]
    [InlineData(ChannelFilter.OnlineOnly, false, true, false)]
    public void Channels_tell_store_online_and_omnichannel_members_apart(ChannelFilter filter, bool storeOnly, bool onlineOnly, bool both)
    {
        var anna = Anna();
        Assert.Equal(storeOnly, Matches(new() { Channels = filter }, anna with { Channels = ["store"] }));
        Assert.Equal(onlineOnly, Matches(new() { Channels = filter }, anna with { Channels = ["online"] }));
        Assert.Equal(both, Matches(new() { Channels = filter }, anna with { Channels = ["online", "store"] }));
        Assert.False(Matches(new() { Channels = filter }, anna with { Channels = [] }));
    }

    [Fact]
    public void Interests_are_any_of_ignoring_case_consents_all_of_birthdays_by_month_and_enrolment_by_age()
    {
        var anna = Anna();
        Assert.True(Matches(new() { Interests = ["garden", "pets"] }, anna));
        Assert.False(Matches(new() { Interests = ["garden"] }, anna));
        Assert.True(Matches(new() { Consents = [ConsentChannel.Email] }, anna));
        Assert.False(Matches(new() { Consents = [ConsentChannel.Email, ConsentChannel.Sms] }, anna));
        Assert.True(Matches(new() { BirthdayMonths = [4, 5] }, anna));
        Assert.False(Matches(new() { BirthdayMonths = [5] }, anna));
        Assert.False(Matches(new() { BirthdayMonths = [4] }, anna with { BirthDate = null }));
        // Enrolled on 1 January, 90 days before 1 April.
        Assert.True(Matches(new() { EnrolledDays = new() { Min = 90, Max = 90 } }, anna));
        Assert.False(Matches(new() { EnrolledDays = new() { Max = 30 } }, anna));
    }

    [Fact]
    public void Every_mistake_is_reported_with_its_path()
    {
        var errors = SegmentValidator.Validate(new SegmentDefinition
        {
            Tiers = ["Bronze", "Platinum", "Bronze", " "],
            Points = new() { Min = 500, Max = 100 },
            QualifyingPoints = new() { Min = -1 },
            WithinPointsOfNextTier = 0,
            Recency = new() { Days = new() { Min = -3 } },
            Rfm = new() { Recency = new() { Min = 0, Max = 6 }, Thresholds = new() { RecencyDays = [30, 20, 40, 50], Spend = [1m] } },
            Channels = (ChannelFilter)9,
            BirthdayMonths = [0, 13],
            Consents = [(ConsentChannel)7],
        }, Program);
        Assert.Equal(
            [
                ("tiers[1]", ErrorCodes.SegmentUnknownTier),
                ("tiers[2]", ErrorCodes.Duplicate),
                ("tiers[3]", ErrorCodes.Required),
                ("points", ErrorCodes.RangeReversed),
                ("qualifyingPoints.min", ErrorCodes.OutOfRange),
                ("withinPointsOfNextTier", ErrorCodes.OutOfRange),
                ("recency.days.min", ErrorCodes.OutOfRange),
                ("rfm.recency.min", ErrorCodes.OutOfRange),
                ("rfm.recency.max", ErrorCodes.OutOfRange),
                ("rfm.thresholds.recencyDays[1]", ErrorCodes.NotAscending),
                ("rfm.thresholds.spend", ErrorCodes.OutOfRange),
                ("channels", ErrorCodes.OutOfRange),
                ("birthdayMonths[0]", ErrorCodes.OutOfRange),
                ("birthdayMonths[1]", ErrorCodes.OutOfRange),
                ("consents[0]", ErrorCodes.OutOfRange),
            ],
            errors.Select(e => (e.Path, e.Code)));
        Assert.Contains("Bronze, Silver, Gold", errors[0].Message);
        Assert.Empty(SegmentValidator.Validate(new SegmentDefinition { Tiers = ["Platinum"] }));
        Assert.False(CompiledSegment.Compile(new SegmentDefinition { BirthdayMonths = [13] }).IsValid);
    }

    [Fact]
    public void Matching_a_compiled_segment_allocates_nothing()
    {
        var segment = Compile(new SegmentDefinition
        {
            Tiers = ["Bronze", "Silver"],
            Points = new() { Min = 0 },
            WithinPointsOfNextTier = 1_000,
            Recency = new() { Days = new() { Max = 60 } },
            Purchases = new() { Min = 1 },
            Spend = new() { Min = 100m },
            Rfm = new() { Recency = new() { Min = 3 } },
            Channels = ChannelFilter.Store,
            Interests = ["pets"],
            BirthdayMonths = [4],
            EnrolledDays = new() { Min = 30 },
            Consents = [ConsentChannel.Email],
        });
        var anna = Anna();
        Assert.True(segment.Matches(anna, Today));
        var matched = 0;
        Assert.Equal(0, Allocations.Least(() =>
        {
            for (var i = 0; i < 10_000; i++)
                if (segment.Matches(anna, Today)) matched++;
        }));
        Assert.Equal(50_000, matched);
    }
}
