using Loyalty.Core.Accrual;
using Loyalty.Core.Money;
using Loyalty.Core.StampCards;
using Loyalty.Core.Tiers;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Programs;

/// <summary>
/// One version of a retailer's loyalty program, as the retailer configures it. Validate and compile it with
/// <see cref="CompiledProgram.Compile"/>; a receipt is scored by the version in force at its purchase time (<see cref="ProgramCatalog"/>).
/// </summary>
public sealed record ProgramDefinition
{
    public required string ProgramId { get; init; }
    public required int Version { get; init; }
    public required DateTimeOffset EffectiveFrom { get; init; }

    /// <summary>ISO 4217 code; every receipt must be in it.</summary>
    public required string Currency { get; init; }

    /// <summary>IANA id; period boundaries, review and expiry dates are dates in this zone.</summary>
    public string TimeZone { get; init; } = "Europe/Stockholm";

    public RoundingMode Rounding { get; init; } = RoundingMode.Down;
    public EarnRules Earn { get; init; } = new();
    public required IReadOnlyList<TierDefinition> Tiers { get; init; }
    public QualificationPeriod Qualification { get; init; } = new(PeriodKind.CalendarYear, 12);
    public TierPolicy TierPolicy { get; init; } = TierPolicy.HoldThroughNextPeriod;

    /// <summary>A "near next tier" event fires when a change brings the member within this many points of the next tier; 0 turns it off.</summary>
    public long NearNextTierMargin { get; init; }

    /// <summary>Points earned in a month stay valid to the end of the month this many months later.</summary>
    public int PointLifetimeMonths { get; init; } = 12;

    public DebtPolicy DebtPolicy { get; init; } = DebtPolicy.FloorAtZero;
    public VoucherRules Vouchers { get; init; } = new();
    public IReadOnlyList<StampCardDefinition> StampCards { get; init; } = [];
    public Reward? WelcomeReward { get; init; }
    public Reward? BirthdayReward { get; init; }

    /// <summary>The member view lists points expiring within this many days.</summary>
    public int ExpiringSoonDays { get; init; } = 30;

    /// <summary>The largest amount one receipt line may carry (a return's lines: its negative); a larger line refuses the receipt.</summary>
    public decimal MaxLineAmount { get; init; } = 1_000_000m;

    /// <summary>The most points, or qualifying points, one purchase may earn (before voucher discounts); more refuses the receipt.</summary>
    public long MaxPointsPerReceipt { get; init; } = 10_000_000;
}
