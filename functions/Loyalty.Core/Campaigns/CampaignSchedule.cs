using System.Globalization;
using Loyalty.Core.Programs;

namespace Loyalty.Core.Campaigns;

/// <summary>
/// When a campaign runs, as local wall-clock times in the program's zone: once at <see cref="Date"/> and
/// <see cref="Time"/>, or at <see cref="Time"/> on every day a calendar rule picks, between the optional
/// <see cref="StartDate"/> and <see cref="EndDate"/> (both inclusive).
/// Only the fields of <see cref="Kind"/> are set; <see cref="CampaignValidator"/> checks that.
/// </summary>
/// <remarks>
/// A time that does not exist (inside the spring-forward gap) runs at the first minute after the gap; a time that
/// exists twice (the fall-back hour) runs once, at its first occurrence. Each occurrence has a stable
/// <see cref="ScheduledRun.RunId"/>, the scheduled local date and time, whatever instant it maps to.
/// </remarks>
public sealed record CampaignSchedule
{
    /// <summary>How far <see cref="NextAfter"/> looks ahead: long enough for a 29 February that skips a century year.</summary>
    private const int HorizonDays = 9 * 366;

    public ScheduleKind Kind { get; init; }

    /// <summary>The local time of day every occurrence is at; required, so a forgotten time is not a midnight send.</summary>
    public required TimeOnly Time { get; init; }

    /// <summary>Once: the local date.</summary>
    public DateOnly? Date { get; init; }

    /// <summary>Weekly: the days it runs on.</summary>
    public IReadOnlyList<DayOfWeek> DaysOfWeek { get; init; } = [];

    /// <summary>Monthly: the days of the month (1–31); a day a month does not have is skipped in that month.</summary>
    public IReadOnlyList<int> DaysOfMonth { get; init; } = [];

    /// <summary>Weekly and monthly: only in these months (1–12); empty is every month. "Every Friday in March" is weekly Friday, months [3].</summary>
    public IReadOnlyList<int> Months { get; init; } = [];

    /// <summary>Annual: every day within each range, each year ("1–24 December"). A range may run over New Year.</summary>
    public IReadOnlyList<AnnualDates> Dates { get; init; } = [];

    public DateOnly? StartDate { get; init; }
    public DateOnly? EndDate { get; init; }

    /// <summary>Whether the rule picks <paramref name="date"/>, a local date.</summary>
    public bool OccursOn(DateOnly date)
    {
        if (date < StartDate || date > EndDate) return false;
        return Kind switch
        {
            ScheduleKind.Once => date == Date,
            ScheduleKind.Weekly => DaysOfWeek.Contains(date.DayOfWeek) && InMonths(date),
            ScheduleKind.Monthly => DaysOfMonth.Contains(date.Day) && InMonths(date),
            ScheduleKind.Annual => InDates(date),
            _ => false,
        };
    }

    /// <summary>The occurrences with instants in (<paramref name="fromExclusive"/>, <paramref name="toInclusive"/>], in order.</summary>
    public IEnumerable<ScheduledRun> Occurrences(TimeZoneInfo zone, DateTimeOffset fromExclusive, DateTimeOffset toInclusive)
    {
        // A gap can push an occurrence past midnight, so the day before the window's first local date is looked at too.
        var first = Later(LocalTimes.DateOf(fromExclusive, zone).AddDays(-1), StartDate);
        var last = Earlier(LocalTimes.DateOf(toInclusive, zone), EndDate);
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            if (!OccursOn(date)) continue;
            var run = RunOn(date, zone);
            if (run.At > fromExclusive && run.At <= toInclusive) yield return run;
        }
    }

    /// <summary>The first occurrence after <paramref name="after"/>; null if there is none (the schedule has ended).</summary>
    public ScheduledRun? NextAfter(TimeZoneInfo zone, DateTimeOffset after)
    {
        if (Kind == ScheduleKind.Once)
            return Date is { } once && OccursOn(once) && RunOn(once, zone) is var single && single.At > after ? single : null;
        var first = Later(LocalTimes.DateOf(after, zone).AddDays(-1), StartDate);
        var last = Earlier(first.AddDays(HorizonDays), EndDate);
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            if (!OccursOn(date)) continue;
            var run = RunOn(date, zone);
            if (run.At > after) return run;
        }
        return null;
    }

    /// <summary>The occurrence scheduled for a local date (whether or not the rule picks it).</summary>
    public ScheduledRun RunOn(DateOnly date, TimeZoneInfo zone) =>
        new(date.ToDateTime(Time).ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture), date, LocalTimes.FirstInstant(date, Time, zone).ToUniversalTime());

    private bool InMonths(DateOnly date) => Months.Count == 0 || Months.Contains(date.Month);

    private bool InDates(DateOnly date)
    {
        foreach (var range in Dates)
            if (range.Contains(date)) return true;
        return false;
    }

    private static DateOnly Later(DateOnly date, DateOnly? other) => other is { } o && o > date ? o : date;

    private static DateOnly Earlier(DateOnly date, DateOnly? other) => other is { } o && o < date ? o : date;
}

public enum ScheduleKind
{
    Once,
    Weekly,
    Monthly,
    Annual,
}

/// <summary>A day of the year, e.g. { month: 12, day: 24 }.</summary>
public sealed record MonthDay(int Month, int Day);

/// <summary>Every day from <see cref="From"/> to <see cref="To"/>, both inclusive; when <see cref="To"/> comes first in the year the range runs over New
/// Year.</summary>
public sealed record AnnualDates(MonthDay From, MonthDay To)
{
    public bool Contains(DateOnly date)
    {
        var day = date.Month * 100 + date.Day;
        var (from, to) = (From.Month * 100 + From.Day, To.Month * 100 + To.Day);
        return from <= to ? day >= from && day <= to : day >= from || day <= to;
    }
}

/// <summary>
/// One occurrence of a schedule: <see cref="RunId"/> is its scheduled local date and time (<c>yyyyMMddTHHmm</c>),
/// stable and unique within the campaign, so a scheduler can start each exactly once; <see cref="At"/> is its UTC instant.
/// </summary>
public sealed record ScheduledRun(string RunId, DateOnly Date, DateTimeOffset At);
