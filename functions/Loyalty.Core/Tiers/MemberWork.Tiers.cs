using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Tiers;

namespace Loyalty.Core.Members;

/// <summary>Tiers: closing qualification windows under the tier policy (the nightly downgrade), re-evaluating the tier, the near-next-tier nudge.</summary>
internal sealed partial class MemberWork
{
    private void CloseWindow()
    {
        var cause = $"window:{Window.End:yyyy-MM-dd}";
        var next = Program.WindowAt(MemberEnrolledOn, Window.End.AddDays(1));
        var qualified = Program.QualifiedTier(QualifyingPoints);
        var carried = Policy switch
        {
            TierPolicy.ResetToBase => 0,
            TierPolicy.DropOneTier => Math.Max(qualified, Math.Max(Program.TierIndex(CarriedTier), qualified) - 1),
            _ => qualified,
        };
        CarriedTier = Program.TierNames[carried];
        if (QualifyingPoints != 0)
        {
            Entry(LedgerKind.QualifyingReset, next.Start, cause, 0, qualifying: -QualifyingPoints);
            QualifyingPoints = 0;
        }
        Window = next;
        UpdateTier(cause, next.Start);
    }

    private void SlideRollingWindow(QualificationWindow window)
    {
        var cause = $"window:{window.Start:yyyy-MM-dd}";
        for (var i = qualifyingByMonth.Count - 1; i >= 0; i--)
        {
            if (qualifyingByMonth[i].Month >= window.Start) continue;
            var lapsed = qualifyingByMonth[i];
            Entry(LedgerKind.QualifyingLapsed, window.Start, cause, 0, qualifying: -lapsed.Points, reference: $"{lapsed.Month:yyyy-MM}");
            QualifyingPoints -= lapsed.Points;
            qualifyingByMonth.RemoveAt(i);
        }
        Window = window;
        UpdateTier(cause, window.Start);
    }

    public int TierIndex => Program.TierIndex(Tier);

    /// <summary>The tier the rules give right now: the window's own points, or a tier carried from an earlier window if higher.</summary>
    private int CurrentTier() => Policy is TierPolicy.RollingWindow or TierPolicy.ResetToBase
        ? Program.QualifiedTier(QualifyingPoints)
        : Math.Max(Program.TierIndex(CarriedTier), Program.QualifiedTier(QualifyingPoints));

    public void UpdateTier(string cause, DateOnly on)
    {
        var before = Program.TierIndex(Tier);
        var after = CurrentTier();
        var name = Program.TierNames[after];
        if (name == Tier) return;
        var from = Tier;
        Tier = name;
        if (after > before)
            events.Add(new TierUpgraded(EventId(cause, "tier.upgraded", name), Program.ProgramId, MemberId, on, from, name, TierEvaluator.HoldsUntil(this)));
        else
            events.Add(new TierDowngraded(EventId(cause, "tier.downgraded", name), Program.ProgramId, MemberId, on, from, name));
    }

    /// <summary>Fires when this operation brought the member within the program's margin of the next tier.</summary>
    public void NotifyNearNextTier(string cause, DateOnly on, int tierBefore, long qualifyingBefore)
    {
        var margin = Definition.NearNextTierMargin;
        var tier = TierIndex;
        if (margin <= 0 || tier + 1 >= Program.TierThresholds.Length) return;
        var left = Program.TierThresholds[tier + 1] - QualifyingPoints;
        if (left <= 0 || left > margin) return;
        var wasNear = tier == tierBefore && Program.TierThresholds[tier + 1] - qualifyingBefore <= margin;
        if (wasNear) return;
        var deadline = Policy == TierPolicy.RollingWindow ? (DateOnly?)null : Window.End;
        events.Add(new NearNextTier(EventId(cause, "tier.near_next"), Program.ProgramId, MemberId, on, Program.TierNames[tier + 1], left, deadline));
    }
}
