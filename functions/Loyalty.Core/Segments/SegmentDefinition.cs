using Loyalty.Core.Application;

namespace Loyalty.Core.Segments;

/// <summary>
/// Which members a campaign reaches, as a marketer writes it. Every criterion is optional and they are AND-ed; an
/// empty definition is everyone. Lists inside a criterion are "any of", except <see cref="Consents"/> ("all of").
/// Check it with <see cref="SegmentValidator"/> and turn it into a predicate with <see cref="CompiledSegment.Compile"/>.
/// </summary>
public sealed record SegmentDefinition
{
    /// <summary>The member is in one of these tiers (names as in the program).</summary>
    public IReadOnlyList<string> Tiers { get; init; } = [];

    /// <summary>Spendable points.</summary>
    public Bounds<long>? Points { get; init; }

    /// <summary>Qualifying points in the current window.</summary>
    public Bounds<long>? QualifyingPoints { get; init; }

    /// <summary>Close to the next tier: 0 &lt; points to the next tier ≤ this. Members at the top tier never match.</summary>
    public long? WithinPointsOfNextTier { get; init; }

    public RecencyFilter? Recency { get; init; }

    /// <summary>Frequency: purchases since enrolment (returns are not visits). <c>{ "max": 0 }</c> is "never bought".</summary>
    public Bounds<int>? Purchases { get; init; }

    /// <summary>Monetary value: net spend since enrolment, in the program's currency.</summary>
    public Bounds<decimal>? Spend { get; init; }

    public RfmFilter? Rfm { get; init; }

    public ChannelFilter? Channels { get; init; }

    /// <summary>The member has at least one of these interests (case-insensitive).</summary>
    public IReadOnlyList<string> Interests { get; init; } = [];

    /// <summary>The member's birthday is in one of these months (1–12); members without a birth date never match.</summary>
    public IReadOnlyList<int> BirthdayMonths { get; init; } = [];

    /// <summary>Days since enrolment (0 on the enrolment day).</summary>
    public Bounds<int>? EnrolledDays { get; init; }

    /// <summary>The member has granted consent on every one of these channels.</summary>
    public IReadOnlyList<ConsentChannel> Consents { get; init; } = [];
}

/// <summary>An inclusive range; a missing end is open. <c>{ "min": 1000 }</c> is "1,000 or more".</summary>
public sealed record Bounds<T> where T : struct, IComparable<T>
{
    public T? Min { get; init; }
    public T? Max { get; init; }
}

/// <summary>
/// Days since the last purchase (by local dates: bought yesterday is 1). Members who never bought have no such
/// number, so whether they match is said explicitly with <see cref="IncludeNeverPurchased"/>: a win-back segment
/// ("nothing in 90 days") usually wants them, a "recent buyers" segment does not.
/// </summary>
public sealed record RecencyFilter
{
    public Bounds<int>? Days { get; init; }
    public bool IncludeNeverPurchased { get; init; }
}

/// <summary>
/// Recency, frequency and monetary scores, each 1 (worst) to 5 (best), computed by <see cref="RfmScores.Of"/> with
/// <see cref="Thresholds"/> (<see cref="RfmThresholds.Default"/> when null).
/// </summary>
public sealed record RfmFilter
{
    public Bounds<int>? Recency { get; init; }
    public Bounds<int>? Frequency { get; init; }
    public Bounds<int>? Monetary { get; init; }
    public RfmThresholds? Thresholds { get; init; }
}

/// <summary>
/// The sales channels a member has bought through. <see cref="Store"/> and <see cref="Online"/> include members who
/// also use the other one; the "only" values exclude them.
/// </summary>
public enum ChannelFilter
{
    Store,
    Online,
    Both,
    StoreOnly,
    OnlineOnly,
}
