namespace Loyalty.Core.Tiers;

/// <summary>How qualifying points are windowed: <see cref="PeriodKind.CalendarYear"/> and <see cref="PeriodKind.Anniversary"/> take 12, 24 or 36 months; <see
/// cref="PeriodKind.Rolling"/> 1–36.</summary>
public sealed record QualificationPeriod(PeriodKind Kind, int Months);

public enum PeriodKind
{
    /// <summary>Windows start on 1 January; multi-year windows are aligned to the member's enrolment year.</summary>
    CalendarYear = 0,

    /// <summary>Windows start on the member's enrolment date and every <see cref="QualificationPeriod.Months"/> after it.</summary>
    Anniversary = 1,

    /// <summary>The current calendar month and the Months − 1 before it; only with <see cref="TierPolicy.RollingWindow"/>.</summary>
    Rolling = 2,
}
