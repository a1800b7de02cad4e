using System.Collections.Immutable;
using Loyalty.Core.StampCards;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Members;

/// <summary>
/// Everything the rules need about one member, kept compact and bounded because it is stored as one table
/// entity: point lots are bucketed per earn month (at most lifetime + 1 of them), rolling qualifying points per
/// month (at most the window length), vouchers only while open (capped by the program), one progress per stamp card.
/// History lives in the ledger and the events, not here.
/// </summary>
public sealed record MemberState
{
    public required string ProgramId { get; init; }
    public required string MemberId { get; init; }
    public required DateOnly EnrolledOn { get; init; }

    /// <summary>Only month and day matter; the year is ignored.</summary>
    public DateOnly? Birthday { get; init; }

    /// <summary>The tier as last evaluated; <see cref="Tiers.TierEvaluator"/> tells the tier at any date.</summary>
    public required string Tier { get; init; }

    /// <summary>The tier earned in earlier windows that holds through the current one (policies other than rolling).</summary>
    public required string CarriedTier { get; init; }

    public required DateOnly WindowStart { get; init; }
    public required DateOnly WindowEnd { get; init; }

    /// <summary>Qualifying points in the current window.</summary>
    public long QualifyingPoints { get; init; }

    /// <summary>Rolling-window policy only: qualifying points per earn month still inside the window.</summary>
    public ImmutableArray<MonthPoints> QualifyingByMonth { get; init; } = [];

    /// <summary>Spendable points; negative only under <see cref="Accrual.DebtPolicy.AllowNegative"/>.</summary>
    public long Balance { get; init; }

    /// <summary>Points owed after a return took back spent points under <see cref="Accrual.DebtPolicy.FloorAtZero"/>.</summary>
    public long Debt { get; init; }

    /// <summary>The balance by earn month (first day of the month), oldest first; they add up to the balance when it is positive.</summary>
    public ImmutableArray<MonthPoints> Lots { get; init; } = [];

    public ImmutableArray<Voucher> Vouchers { get; init; } = [];
    public ImmutableArray<StampCardProgress> StampCards { get; init; } = [];

    /// <summary>The last date the member was brought up to; reviews for this date or earlier are no-ops.</summary>
    public required DateOnly ReviewedOn { get; init; }

    public int BirthdayRewardYear { get; init; }

    /// <summary>Counters for the program's figures; a state stored before they existed reads as zero.</summary>
    public MemberTotals Totals { get; init; } = MemberTotals.Zero;
}

/// <summary>Points attached to a month (its first day).</summary>
public readonly record struct MonthPoints(DateOnly Month, long Points);
