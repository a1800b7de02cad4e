using Loyalty.Core.Events;
using Loyalty.Core.Ledger;

namespace Loyalty.Core.Members;

/// <summary>
/// What has happened to the member since these counters joined the state: they only grow, and only in the transition
/// that does what they count, so a program's activity between two nights is the difference of two nightly sums
/// (<see cref="Statistics.ShardFigures"/>) and a replayed operation, which changes no state, is never counted twice.
/// </summary>
public sealed record MemberTotals
{
    public static MemberTotals Zero { get; } = new();

    /// <summary>Receipts applied: purchases and returns.</summary>
    public long Receipts { get; init; }

    /// <summary>Points earned (purchases, campaign bonuses); what returns took back is not subtracted.</summary>
    public long PointsEarned { get; init; }

    public long VouchersIssued { get; init; }
    public long VouchersRedeemed { get; init; }
    public long Upgrades { get; init; }
    public long Downgrades { get; init; }

    /// <summary>The counters after one transition with its ledger entries and events.</summary>
    public MemberTotals After(int receipts, IEnumerable<LedgerEntry> ledger, IReadOnlyCollection<DomainEvent> events) => this with
    {
        Receipts = Receipts + receipts,
        PointsEarned = PointsEarned + ledger.Where(e => e.Kind == LedgerKind.Earned).Sum(e => e.Points),
        VouchersIssued = VouchersIssued + events.Count(e => e is VoucherIssued),
        VouchersRedeemed = VouchersRedeemed + events.Count(e => e is VoucherRedeemed),
        Upgrades = Upgrades + events.Count(e => e is TierUpgraded),
        Downgrades = Downgrades + events.Count(e => e is TierDowngraded),
    };

    public static MemberTotals operator +(MemberTotals a, MemberTotals b) => Combine(a, b, 1);

    public static MemberTotals operator -(MemberTotals a, MemberTotals b) => Combine(a, b, -1);

    private static MemberTotals Combine(MemberTotals a, MemberTotals b, int sign)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new MemberTotals
        {
            Receipts = a.Receipts + sign * b.Receipts,
            PointsEarned = a.PointsEarned + sign * b.PointsEarned,
            VouchersIssued = a.VouchersIssued + sign * b.VouchersIssued,
            VouchersRedeemed = a.VouchersRedeemed + sign * b.VouchersRedeemed,
            Upgrades = a.Upgrades + sign * b.Upgrades,
            Downgrades = a.Downgrades + sign * b.Downgrades,
        };
    }
}
