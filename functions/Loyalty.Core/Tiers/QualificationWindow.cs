namespace Loyalty.Core.Tiers;

/// <summary>A qualification window, both ends inclusive, as dates in the program's time zone.</summary>
public readonly record struct QualificationWindow(DateOnly Start, DateOnly End)
{
    public bool Contains(DateOnly date) => date >= Start && date <= End;

    /// <summary>The window containing <paramref name="date"/> for a member enrolled on <paramref name="enrolledOn"/>.</summary>
    public static QualificationWindow At(QualificationPeriod period, DateOnly enrolledOn, DateOnly date)
    {
        switch (period.Kind)
        {
            case PeriodKind.Rolling:
            {
                var month = FirstOfMonth(date);
                return new(month.AddMonths(-(period.Months - 1)), month.AddMonths(1).AddDays(-1));
            }
            case PeriodKind.CalendarYear:
            {
                var years = period.Months / 12;
                var k = FloorDiv(date.Year - enrolledOn.Year, years);
                var start = new DateOnly(enrolledOn.Year + k * years, 1, 1);
                return new(start, start.AddYears(years).AddDays(-1));
            }
            default:
            {
                // Each start is computed from the enrolment date, not from the previous start, so a member
                // enrolled on the 31st is not drifted to the 28th forever by one February.
                var months = (date.Year - enrolledOn.Year) * 12 + date.Month - enrolledOn.Month;
                var k = FloorDiv(months, period.Months);
                while (enrolledOn.AddMonths(k * period.Months) > date) k--;
                while (enrolledOn.AddMonths((k + 1) * period.Months) <= date) k++;
                return new(enrolledOn.AddMonths(k * period.Months), enrolledOn.AddMonths((k + 1) * period.Months).AddDays(-1));
            }
        }
    }

    internal static DateOnly FirstOfMonth(DateOnly date) => new(date.Year, date.Month, 1);

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
