using Loyalty.Core.Tiers;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Views;

/// <summary>
/// What the till and the app show about a member, computed by <see cref="MemberViews.Build"/>: the numbers
/// themselves, and <see cref="Messages"/> (key + arguments) so each UI can word and localise them.
/// </summary>
public sealed record MemberView
{
    public required string ProgramId { get; init; }
    public required string MemberId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required string Tier { get; init; }
    public required IReadOnlyList<Benefit> Benefits { get; init; }

    /// <summary>Null for the base tier, which never lapses.</summary>
    public DateOnly? HoldsUntil { get; init; }

    public long Balance { get; init; }

    /// <summary>What the balance buys now: the dearest till denomination affordable, or the automatic vouchers it would make.</summary>
    public decimal BalanceValue { get; init; }

    public required string Currency { get; init; }
    public long Debt { get; init; }
    public long QualifyingPoints { get; init; }
    public DateOnly WindowStart { get; init; }
    public DateOnly WindowEnd { get; init; }
    public string? NextTier { get; init; }
    public long? PointsToNextTier { get; init; }
    public DateOnly? NextTierDeadline { get; init; }
    public long? PointsToKeepTier { get; init; }

    /// <summary>Automatic vouchers only: points still needed for the next one.</summary>
    public long? PointsToNextVoucher { get; init; }

    /// <summary>
    /// The denominations the member may choose a voucher of now (the balance covers their points), cheapest first; empty
    /// under automatic vouchers, where nobody chooses. So a till or app can offer them without reading the program.
    /// </summary>
    public IReadOnlyList<VoucherDenomination> VoucherChoices { get; init; } = [];

    public IReadOnlyList<ExpiringPoints> ExpiringSoon { get; init; } = [];
    public IReadOnlyList<Voucher> OpenVouchers { get; init; } = [];
    public IReadOnlyList<StampCardView> StampCards { get; init; } = [];
    public IReadOnlyList<ViewMessage> Messages { get; init; } = [];
}

/// <summary>Points that lapse after <see cref="LastDay"/>.</summary>
public sealed record ExpiringPoints(DateOnly LastDay, long Points);

public sealed record StampCardView(string CardId, string Name, int Stamps, int StampsForReward, int StampsLeft, int Completed);

/// <summary>
/// A sentence as data, e.g. <c>{ key: "tier.progress", args: { pointsLeft: 1240, nextTier: "Gold", by: "2027-12-31" } }</c>.
/// Argument values are numbers, strings or dates. The keys are listed in docs/domain.md.
/// </summary>
public sealed record ViewMessage(string Key, IReadOnlyDictionary<string, object> Args);
