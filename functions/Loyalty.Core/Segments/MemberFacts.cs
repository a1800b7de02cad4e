using System.Collections.Immutable;
using Loyalty.Core.Application;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Tiers;

namespace Loyalty.Core.Segments;

/// <summary>
/// What segments can look at and messages can say about one member at a date: built once per member by
/// <see cref="From"/> and then read by every segment and template of a campaign run.
/// </summary>
public sealed record MemberFacts
{
    public required string MemberId { get; init; }

    /// <summary>For personalised messages only; segments do not look at names.</summary>
    public string? FirstName { get; init; }

    public required string Tier { get; init; }

    /// <summary>Null at the top tier.</summary>
    public string? NextTier { get; init; }

    public long Balance { get; init; }
    public long QualifyingPoints { get; init; }

    /// <summary>Qualifying points still needed for <see cref="NextTier"/>; null at the top tier.</summary>
    public long? PointsToNextTier { get; init; }

    /// <summary>The local date of the latest purchase in the program's zone; null if the member never bought.</summary>
    public DateOnly? LastPurchaseOn { get; init; }

    public int PurchaseCount { get; init; }

    /// <summary>Net spend: purchases minus returns.</summary>
    public decimal Spend { get; init; }

    /// <summary>Sales channels bought through ("store", "online"), as <see cref="MemberActivity.Channels"/>.</summary>
    public ImmutableArray<string> Channels { get; init; } = [];

    public ImmutableArray<string> Interests { get; init; } = [];
    public DateOnly? BirthDate { get; init; }
    public required DateOnly EnrolledOn { get; init; }

    /// <summary>The channels the member has granted consent on; nothing granted means nobody may message them.</summary>
    public ImmutableArray<ConsentChannel> Consents { get; init; } = [];

    /// <summary>
    /// The facts at <paramref name="today"/>: the state is brought up to that date first (expired points, closed
    /// windows), exactly as the member view does, so a segment and the till agree on tier and balance.
    /// <paramref name="birthDate"/> defaults to the state's birthday.
    /// </summary>
    public static MemberFacts From(
        MemberState state,
        MemberActivity activity,
        CompiledProgram program,
        DateOnly today,
        string? firstName = null,
        IEnumerable<ConsentChannel>? consents = null,
        IEnumerable<string>? interests = null,
        DateOnly? birthDate = null)
    {
        var work = new MemberWork(state, program);
        work.AdvanceTo(today);
        var tier = TierEvaluator.Status(work);
        return new MemberFacts
        {
            MemberId = state.MemberId,
            FirstName = firstName,
            Tier = tier.Tier,
            NextTier = tier.NextTier,
            Balance = work.Balance,
            QualifyingPoints = tier.QualifyingPoints,
            PointsToNextTier = tier.PointsToNextTier,
            LastPurchaseOn = activity.LastPurchaseAt is { } at ? program.LocalDate(at) : null,
            PurchaseCount = activity.PurchaseCount,
            Spend = activity.Spend,
            Channels = activity.Channels,
            Interests = interests is null ? [] : [.. interests],
            BirthDate = birthDate ?? state.Birthday,
            EnrolledOn = state.EnrolledOn,
            Consents = consents is null ? [] : [.. consents.Distinct()],
        };
    }

    /// <summary>Whether consent on <paramref name="channel"/> is granted.</summary>
    public bool HasConsent(ConsentChannel channel) => Consents.Contains(channel);
}
