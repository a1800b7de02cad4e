using Loyalty.Core.Members;
using Loyalty.Core.Programs;

namespace Loyalty.Core.Tiers;

/// <summary>A member's tier at a date and the numbers that explain it.</summary>
/// <param name="HoldsUntil">Last day the tier is certain to hold without further purchases; null for the base tier.</param>
/// <param name="NextTierDeadline">The window's last day, by which <paramref name="PointsToNextTier"/> must be earned; null under a rolling window.</param>
/// <param name="PointsToKeepTier">Points still needed in this window to keep the current tier beyond <paramref name="HoldsUntil"/>; null when nothing is
/// needed.</param>
public sealed record TierStatus(
    string Tier,
    IReadOnlyList<Benefit> Benefits,
    DateOnly? HoldsUntil,
    long QualifyingPoints,
    QualificationWindow Window,
    string? NextTier,
    long? PointsToNextTier,
    DateOnly? NextTierDeadline,
    long? PointsToKeepTier);

/// <summary>Tier evaluation: a pure function of the member state, the program and the date.</summary>
public static class TierEvaluator
{
    /// <summary>The tier at <paramref name="date"/>, as if the nightly review had run up to it.</summary>
    public static TierStatus Evaluate(MemberState state, CompiledProgram program, DateOnly date)
    {
        var work = new MemberWork(state, program);
        work.AdvanceTo(date);
        return Status(work);
    }

    internal static TierStatus Status(MemberWork work)
    {
        var program = work.Program;
        var tier = work.TierIndex;
        var rolling = program.Definition.TierPolicy == TierPolicy.RollingWindow;
        var qualified = program.QualifiedTier(work.QualifyingPoints);
        var hasNext = tier + 1 < program.TierNames.Length;
        var keep = !rolling && tier > qualified ? program.TierThresholds[tier] - work.QualifyingPoints : (long?)null;
        return new TierStatus(
            program.TierNames[tier],
            program.Definition.Tiers[tier].Benefits,
            HoldsUntil(work),
            work.QualifyingPoints,
            work.Window,
            hasNext ? program.TierNames[tier + 1] : null,
            hasNext ? program.TierThresholds[tier + 1] - work.QualifyingPoints : null,
            hasNext && !rolling ? work.Window.End : null,
            keep);
    }

    /// <summary>
    /// Hold-through and drop-one: a tier the window's own points reach holds to the end of the next window, a carried
    /// one to the end of this window. Reset: to the end of this window. Rolling: until enough months leave the window
    /// to take the points below the threshold.
    /// </summary>
    internal static DateOnly? HoldsUntil(MemberWork work)
    {
        var program = work.Program;
        var tier = work.TierIndex;
        if (tier == 0) return null;
        switch (program.Definition.TierPolicy)
        {
            case TierPolicy.ResetToBase:
                return work.Window.End;
            case TierPolicy.RollingWindow:
                return RollingHoldsUntil(work, tier);
            default:
                return program.QualifiedTier(work.QualifyingPoints) >= tier
                    ? program.WindowAt(work.MemberEnrolledOn, work.Window.End.AddDays(1)).End
                    : work.Window.End;
        }
    }

    private static DateOnly RollingHoldsUntil(MemberWork work, int tier)
    {
        var program = work.Program;
        var months = program.Definition.Qualification.Months;
        var month = QualificationWindow.FirstOfMonth(work.Window.End);
        for (var ahead = 1; ; ahead++)
        {
            var start = month.AddMonths(ahead - months + 1);
            long sum = 0;
            foreach (var m in work.QualifyingByMonth)
                if (m.Month >= start) sum += m.Points;
            if (program.TierThresholds[tier] > sum) return month.AddMonths(ahead).AddDays(-1);
        }
    }
}
