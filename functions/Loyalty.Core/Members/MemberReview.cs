using Loyalty.Core.Programs;
using Loyalty.Core.Tiers;

namespace Loyalty.Core.Members;

/// <summary>What the nightly job runs: bring a member up to a date, and tell when the member next needs it.</summary>
public static class MemberReview
{
    /// <summary>
    /// Closes every qualification window that ended before <paramref name="date"/> (applying the tier policy and
    /// starting the next window), expires point lots past their lifetime and vouchers past their last day, and
    /// issues a due birthday reward. Running it again for the same or an earlier date is a no-op.
    /// </summary>
    public static Transition ReviewAt(MemberState state, CompiledProgram program, DateOnly date)
    {
        var work = new MemberWork(state, program);
        work.AdvanceTo(date);
        return work.ToTransition($"review:{date:yyyy-MM-dd}");
    }

    /// <summary>
    /// The first date on which <see cref="ReviewAt"/> would change something by itself: a window end that matters
    /// (qualifying points or a tier above base), a point lot or voucher expiring, a birthday reward. Null if none;
    /// storage indexes members by this date.
    /// </summary>
    public static DateOnly? NextReviewOn(MemberState state, CompiledProgram program)
    {
        DateOnly? next = null;
        var rolling = program.Definition.TierPolicy == TierPolicy.RollingWindow;
        var windowMatters = rolling
            ? !state.QualifyingByMonth.IsEmpty
            : state.QualifyingPoints != 0 || state.Tier != program.BaseTier || state.CarriedTier != program.BaseTier;
        if (windowMatters) Earliest(state.WindowEnd.AddDays(1));
        if (!state.Lots.IsEmpty) Earliest(program.LotLastValidDay(state.Lots[0].Month).AddDays(1));
        foreach (var voucher in state.Vouchers) Earliest(voucher.ExpiresOn.AddDays(1));
        if (program.Definition.BirthdayReward is not null && state.Birthday is { } birthday)
        {
            var year = Math.Max(state.BirthdayRewardYear + 1, state.ReviewedOn.Year);
            var day = BirthdayIn(birthday, year);
            if (day <= state.ReviewedOn) day = BirthdayIn(birthday, year + 1);
            Earliest(day);
        }
        return next;

        void Earliest(DateOnly date)
        {
            if (date <= state.ReviewedOn) date = state.ReviewedOn.AddDays(1);
            if (next is null || date < next) next = date;
        }
    }

    /// <summary>
    /// The date the member is filed under for the nightly job: the earliest <see cref="NextReviewOn(MemberState, CompiledProgram)"/>
    /// under the version in force at <paramref name="now"/> and every later version already published. Filing a member
    /// too early costs one no-op review; too late would skip a review, so a version taking effect later (a shorter point
    /// lifetime, say) counts too. Null if no version would ever change the member by itself.
    /// </summary>
    public static DateOnly? NextReviewOn(MemberState state, ProgramCatalog programs, DateTimeOffset now)
    {
        DateOnly? next = null;
        var versions = programs.Versions;
        var current = programs.At(now) is { } inForce ? IndexOf(versions, inForce) : 0;
        for (var i = current; i < versions.Count; i++)
            if (NextReviewOn(state, versions[i]) is { } date && (next is null || date < next)) next = date;
        return next;

        static int IndexOf(IReadOnlyList<CompiledProgram> versions, CompiledProgram version)
        {
            for (var i = 0; i < versions.Count; i++)
                if (ReferenceEquals(versions[i], version)) return i;
            return 0;
        }
    }

    /// <summary>The birthday's date in a year; 29 February falls on the 28th in other years.</summary>
    internal static DateOnly BirthdayIn(DateOnly birthday, int year) =>
        new(year, birthday.Month, Math.Min(birthday.Day, DateTime.DaysInMonth(year, birthday.Month)));
}
