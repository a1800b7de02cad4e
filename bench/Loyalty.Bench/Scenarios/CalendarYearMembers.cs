using Loyalty.Bench.Infra;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Vouchers;

namespace Loyalty.Bench.Scenarios;

/// <summary>
/// A calendar-year program and its members on the last day of 2026, every one of them due for the review of
/// <see cref="ReviewDate"/> (the night after 31 December): whose tier held through 2026 (earned in 2025) is kept, lost or
/// beaten by their 2026 qualifying points, and who may still hold points earned in December 2025, which expire that
/// night. Each member's history is made by the domain itself (enrolment, receipts, the reviews up to 31 December), from a
/// plan drawn by a random generator seeded with the member's number, so the same seed and number give the same member
/// in any process; and the expected outcome of the review follows from the plan alone, not from the domain or the job.
/// <para>
/// Profile traits, for segment selections (a campaign fan-out): interests ("cats" for 30 %, so "cats" with e-mail
/// consent is ≈ 21 % of the members), e-mail consent 70 %, SMS consent 40 %, purchases in stores, online or both.
/// </para>
/// </summary>
public sealed class CalendarYearMembers(string programId, int seed)
{
    /// <summary>The first night of 2027: every window ends on 31 December 2026, the December 2025 points expire.</summary>
    public static readonly DateOnly ReviewDate = new(2027, 1, 1);

    private static readonly DateOnly LastDay = ReviewDate.AddDays(-1);
    private static readonly DateOnly FirstYear = new(2025, 1, 1);
    private static readonly DateOnly SecondYear = new(2026, 1, 1);

    /// <summary>The product's member-id alphabet (MemberIds): twelve of these look like any member's id to the API.</summary>
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private static readonly string[] Tiers = ["Bronze", "Silver", "Gold"];
    private static readonly long[] Thresholds = [0, 5_000, 15_000];
    private static readonly string[] Interests = ["cats", "dogs", "fish", "birds", "garden"];

    private readonly ProgramCatalog catalog = ProgramCatalog.Create(Definition(programId)).Value;

    /// <summary>The demo program's tiers (Bronze/Silver/Gold at 0/5,000/15,000, held through the next calendar year) and
    /// points (1 per krona, valid 12 months after the earn month), without vouchers or stamp cards: the review's work is
    /// tiers and expiry only, and every member is filed under the same night.</summary>
    public static ProgramDefinition Definition(string programId) =>
        DemoProgram.Definition(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)) with
        {
            ProgramId = programId,
            Vouchers = new VoucherRules(),
            StampCards = [],
            WelcomeReward = null,
            NearNextTierMargin = 0,
        };

    /// <summary>What happens to a member's tier in the review.</summary>
    public enum Fate
    {
        Keep,
        Lose,

        /// <summary>Reached a higher tier during 2026 (upgrades are immediate) and keeps it.</summary>
        Gain,
    }

    /// <param name="Held">The tier earned in 2025, held through 2026 (an index into Bronze, Silver, Gold).</param>
    /// <param name="Earned2025">Qualifying points of 2025 outside December.</param>
    /// <param name="December">Points earned in December 2025 (0: none), still valid until 31 December 2026.</param>
    /// <param name="Earned2026">Qualifying points of 2026: they decide the tier for 2027.</param>
    public sealed record Plan(
        int Number, string MemberId, int Held, Fate Fate, long Earned2025, long December, long Earned2026,
        DateOnly EnrolledOn, DateOnly Bought2025, DateOnly BoughtDecember, DateOnly Bought2026)
    {
        /// <summary>The tier after the review: what the 2026 points earn (the 2025 tier has run out).</summary>
        public int TierAfter => Earned(Earned2026);

        /// <summary>Only the 2026 points are left after the review; the December lot has expired.</summary>
        public long BalanceAfter => Earned2026;
    }

    /// <summary>Member <paramref name="number"/>'s plan; deterministic in (seed, number).</summary>
    public Plan PlanOf(int number)
    {
        var random = new Random(Seed(number));
        var id = string.Create(12, random, (chars, r) =>
        {
            for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[r.Next(Alphabet.Length)];
        });
        var held = random.Next(100) switch { < 50 => 0, < 80 => 1, _ => 2 };
        var roll = random.Next(100);
        var fate = held switch
        {
            0 => roll < 80 ? Fate.Keep : Fate.Gain,
            1 => roll < 55 ? Fate.Keep : roll < 85 ? Fate.Lose : Fate.Gain,
            _ => roll < 60 ? Fate.Keep : Fate.Lose,
        };
        // The 2026 points within the tier the fate leads to; a Gold member who loses drops to Silver or Bronze.
        var after = fate switch
        {
            Fate.Keep => held,
            Fate.Gain => held + 1 + random.Next(2 - held),
            _ => random.Next(held),
        };
        var earned2026 = Between(random, Math.Max(100, Thresholds[after]), after == 2 ? 40_000 : Thresholds[after + 1] - 1);
        // 2025 outside December leaves room for up to 2,000 December points within the held tier's range.
        var earned2025 = Between(random, Math.Max(100, Thresholds[held]), held == 2 ? 38_000 : Thresholds[held + 1] - 2_001);
        var december = random.Next(100) < 40 ? Between(random, 100, 2_000) : 0;
        var enrolledOn = FirstYear.AddDays(random.Next(181));
        var bought2025 = enrolledOn.AddDays(random.Next(new DateOnly(2025, 11, 30).DayNumber - enrolledOn.DayNumber + 1));
        return new Plan(number, id, held, fate, earned2025, december, earned2026, enrolledOn, bought2025,
            new DateOnly(2025, 12, 1).AddDays(random.Next(31)), SecondYear.AddDays(random.Next(364)));
    }

    /// <summary>What a segment selects on, besides the plan's points and dates.</summary>
    /// <param name="Email">Consent to e-mail (70 %); every member has an address.</param>
    /// <param name="Sms">Consent to SMS (40 %).</param>
    public sealed record Traits(DateOnly BirthDate, string[] Channels, string StoreId, string[] Interests, bool Email, bool Sms);

    /// <summary>
    /// Member <paramref name="number"/>'s traits, from a generator of their own, so a plan stays the same whatever the
    /// profile draws; deterministic in (seed, number), and cheap: a segment's expected audience needs no member built.
    /// </summary>
    public Traits TraitsOf(int number)
    {
        var random = new Random(~Seed(number));
        // Arguments are evaluated left to right: the draws keep their order.
        return new Traits(
            new DateOnly(1950 + random.Next(55), 1 + random.Next(12), 1 + random.Next(28)),
            random.Next(100) switch { < 60 => ["store"], < 85 => ["online"], _ => ["store", "online"] },
            $"store-{1 + random.Next(20)}",
            [.. Interests.Where((_, i) => random.Next(100) < (i == 0 ? 30 : 20))],
            random.Next(100) < 70,
            random.Next(100) < 40);
    }

    /// <summary>Every member's first name (what a message's <c>{firstName}</c> renders).</summary>
    public const string FirstName = "Bench";

    public static string EmailOf(int number) => $"member{number}@example.com";

    /// <summary>The member of a plan, made by the domain: enrolled, its receipts applied, reviewed up to 31 December 2026.</summary>
    /// <exception cref="InvalidOperationException">The domain did not do what the plan expects: the expected outcome would be wrong.</exception>
    public GeneratedMember Build(Plan plan)
    {
        var version = catalog.Versions[0];
        var traits = TraitsOf(plan.Number);
        var book = MemberBook.Enrol(version, plan.MemberId, plan.EnrolledOn, traits.BirthDate).Value.Book;
        var activity = new MemberActivity();
        var channels = traits.Channels;
        var receipts = new List<(DateOnly On, long Points)> { (plan.Bought2025, plan.Earned2025), (plan.BoughtDecember, plan.December),
            (plan.Bought2026, plan.Earned2026) };
        foreach (var (on, points) in receipts.Where(r => r.Points > 0))
        {
            var receipt = Receipt(plan.MemberId, on, points, channels[activity.PurchaseCount % channels.Length]);
            var applied = book.Apply(receipt, catalog, receipt.PurchasedAt);
            if (!applied.IsValid) throw new InvalidOperationException($"Member {plan.Number}: receipt of {on} refused: " +
                $"{string.Join("; ", applied.Errors.Select(e => e.Message))}");
            book = applied.Value.Book;
            activity = activity.After(receipt);
        }

        var state = book.Review(version, LastDay).Book.State;
        var tier2026 = Math.Max(plan.Held, Earned(plan.Earned2026));
        if (state.Tier != Tiers[tier2026] || state.QualifyingPoints != plan.Earned2026 || state.Balance != plan.Earned2026 + plan.December
            || MemberReview.NextReviewOn(state, version) != ReviewDate)
        {
            throw new InvalidOperationException(
                $"Member {plan.Number} is not what its plan says on {LastDay:yyyy-MM-dd}: {state.Tier} with {state.QualifyingPoints} qualifying points and " +
                $"{state.Balance} points, due {MemberReview.NextReviewOn(state, version)}; expected {Tiers[tier2026]}, {plan.Earned2026}, " +
                    $"{plan.Earned2026 + plan.December}, due {ReviewDate}.");
        }

        var enrolledAt = new DateTimeOffset(plan.EnrolledOn.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        var profile = new MemberProfile
        {
            MemberId = plan.MemberId,
            FirstName = FirstName,
            LastName = $"Member{plan.Number}",
            Email = EmailOf(plan.Number),
            Phone = $"+4673{plan.Number:D7}",
            CardNumber = $"NB{plan.Number:D10}",
            BirthDate = traits.BirthDate,
            StoreId = traits.StoreId,
            Interests = traits.Interests,
            Consents = new Dictionary<ConsentChannel, Consent>
            {
                [ConsentChannel.Email] = new(traits.Email, enrolledAt, "enrolment"),
                [ConsentChannel.Sms] = new(traits.Sms, enrolledAt, "enrolment"),
            },
            EnrolledAt = enrolledAt,
        };
        return new GeneratedMember(profile, state, activity);
    }

    /// <summary>The review's totals over members 0 to <paramref name="count"/> − 1, from their plans alone.</summary>
    public JobCounts Expected(int count)
    {
        long lost = 0, renewed = 0, expired = 0;
        for (var n = 0; n < count; n++)
        {
            var plan = PlanOf(n);
            if (plan.Fate == Fate.Lose) lost++;
            else if (plan.TierAfter > 0) renewed++;
            expired += plan.December;
        }

        // Every window closes that night, so every member changes; a downgrade is the only event (one notification).
        return JobCounts.Zero
            .Add(NightlyReview.Counts.Reviewed, count)
            .Add(NightlyReview.Counts.Changed, count)
            .Add(NightlyReview.Counts.WindowsClosed, count)
            .Add(NightlyReview.Counts.Downgraded, lost)
            .Add(NightlyReview.Counts.Notifications, lost)
            .Add(NightlyReview.Counts.Renewed, renewed)
            .Add(NightlyReview.Counts.PointsExpired, expired);
    }

    /// <summary>Differences between a member as stored after the review and its plan; empty when it is right.</summary>
    public static IEnumerable<string> Wrong(Plan plan, MemberState state, DateOnly? filedOn)
    {
        if (state.Tier != Tiers[plan.TierAfter]) yield return $"tier {state.Tier}, expected {Tiers[plan.TierAfter]}";
        if (state.QualifyingPoints != 0) yield return $"{state.QualifyingPoints} qualifying points left";
        if (state.Balance != plan.BalanceAfter) yield return $"balance {state.Balance}, expected {plan.BalanceAfter}";
        if (state.WindowStart != ReviewDate || state.ReviewedOn != ReviewDate) yield return $"window from {state.WindowStart}, reviewed on {state.ReviewedOn}";
        if (filedOn is not { } next || next <= ReviewDate) yield return $"filed for review on {filedOn?.ToString() ?? "no date"}";
    }

    private int Seed(int number) => unchecked(seed * 1_000_003 + number);

    private static int Earned(long qualifying) => Array.FindLastIndex(Thresholds, t => qualifying >= t);

    private static long Between(Random random, long from, long to) => from + random.NextInt64(to - from + 1);

    /// <summary>One line of whole kronor: the program earns exactly that many points, all qualifying.</summary>
    private static Receipt Receipt(string memberId, DateOnly on, long kronor, string channel) => new()
    {
        Id = $"bench-{on:yyyyMMdd}",
        MemberId = memberId,
        StoreId = "store-1",
        Channel = channel,
        // Midday in Stockholm, so the purchase falls on that date there whatever the season.
        PurchasedAt = new DateTimeOffset(on.ToDateTime(new TimeOnly(11, 0)), TimeSpan.Zero),
        Currency = "SEK",
        Total = kronor,
        Lines = [new ReceiptLine("BASKET", "general", 1, kronor)],
    };
}
