using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loyalty.Core.Campaigns;

namespace Loyalty.Core.Tests;

/// <summary>Schedules in local time: an advent calendar, Fridays in March, DST changes, and the rules every schedule keeps.</summary>
public class CampaignScheduleTests
{
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
    private static readonly DateTimeOffset Start2027 = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End2027 = new(2028, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly CampaignSchedule Advent = new()
    {
        Kind = ScheduleKind.Annual,
        Time = new TimeOnly(8, 0),
        Dates = [new AnnualDates(new MonthDay(12, 1), new MonthDay(12, 24))],
    };

    public static readonly CampaignSchedule FridaysInMarch = new()
    {
        Kind = ScheduleKind.Weekly,
        Time = new TimeOnly(17, 0),
        DaysOfWeek = [DayOfWeek.Friday],
        Months = [3],
    };

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void An_advent_calendar_runs_every_morning_from_1_to_24_December()
    {
        var runs = Advent.Occurrences(Stockholm, Start2027, End2027).ToList();
        Assert.Equal(24, runs.Count);
        Assert.Equal(new ScheduledRun("20271201T0800", new DateOnly(2027, 12, 1), Utc(2027, 12, 1, 7)), runs[0]);
        Assert.Equal(("20271224T0800", Utc(2027, 12, 24, 7)), (runs[^1].RunId, runs[^1].At));
        Assert.Equal(TimeSpan.Zero, runs[0].At.Offset);
    }

    [Fact]
    public void Every_friday_in_march_2027_is_four_runs()
    {
        var runs = FridaysInMarch.Occurrences(Stockholm, Start2027, End2027).ToList();
        Assert.Equal([Utc(2027, 3, 5, 16), Utc(2027, 3, 12, 16), Utc(2027, 3, 19, 16), Utc(2027, 3, 26, 16)], runs.Select(r => r.At));
        Assert.Equal(runs[1], FridaysInMarch.NextAfter(Stockholm, runs[0].At));
        Assert.Equal(new DateOnly(2028, 3, 3), FridaysInMarch.NextAfter(Stockholm, runs[^1].At)!.Date);
        Assert.Null((FridaysInMarch with { EndDate = new DateOnly(2027, 12, 31) }).NextAfter(Stockholm, runs[^1].At));
    }

    [Fact]
    public void A_time_in_the_spring_forward_gap_runs_when_the_gap_ends_under_its_own_run_id()
    {
        // 28 March 2027: Stockholm jumps from 02:00 to 03:00, so 02:30 never shows.
        var sundays = new CampaignSchedule { Kind = ScheduleKind.Weekly, Time = new TimeOnly(2, 30), DaysOfWeek = [DayOfWeek.Sunday], Months = [3, 4] };
        var runs = sundays.Occurrences(Stockholm, Utc(2027, 3, 20, 0), Utc(2027, 4, 5, 0)).ToList();
        Assert.Equal(
            [("20270321T0230", Utc(2027, 3, 21, 1, 30)), ("20270328T0230", Utc(2027, 3, 28, 1, 0)), ("20270404T0230", Utc(2027, 4, 4, 0, 30))],
            runs.Select(r => (r.RunId, r.At)));
    }

    [Fact]
    public void A_time_in_the_fall_back_hour_runs_once_at_its_first_occurrence()
    {
        // 31 October 2027: 02:00–03:00 happens twice in Stockholm; the first 02:30 is still summer time (UTC+2).
        var daily = new CampaignSchedule { Kind = ScheduleKind.Weekly, Time = new TimeOnly(2, 30), DaysOfWeek = Enum.GetValues<DayOfWeek>() };
        var runs = daily.Occurrences(Stockholm, Utc(2027, 10, 30, 0), Utc(2027, 11, 1, 12)).ToList();
        Assert.Equal([Utc(2027, 10, 30, 0, 30), Utc(2027, 10, 31, 0, 30), Utc(2027, 11, 1, 1, 30)], runs.Select(r => r.At));
        Assert.Equal("20271101T0230", daily.NextAfter(Stockholm, Utc(2027, 10, 31, 0, 30))!.RunId);
    }

    [Fact]
    public void Monthly_days_a_month_lacks_are_skipped_annual_ranges_run_over_new_year_and_once_is_once()
    {
        var last = new CampaignSchedule { Kind = ScheduleKind.Monthly, Time = new TimeOnly(9, 0), DaysOfMonth = [31] };
        Assert.Equal([1, 3, 5], last.Occurrences(Stockholm, Start2027, Utc(2027, 7, 1, 0)).Select(r => r.Date.Month));

        var holidays = new CampaignSchedule { Kind = ScheduleKind.Annual, Time = new TimeOnly(9, 0),
            Dates = [new AnnualDates(new MonthDay(12, 30), new MonthDay(1, 2))] };
        Assert.Equal(["20271230T0900", "20271231T0900", "20280101T0900", "20280102T0900"],
            holidays.Occurrences(Stockholm, Utc(2027, 12, 1, 0), Utc(2028, 1, 31, 0)).Select(r => r.RunId));

        var once = new CampaignSchedule { Kind = ScheduleKind.Once, Date = new DateOnly(2027, 11, 26), Time = new TimeOnly(0, 0) };
        var run = Assert.Single(once.Occurrences(Stockholm, Start2027, End2027));
        Assert.Equal(("20271126T0000", Utc(2027, 11, 25, 23)), (run.RunId, run.At));
        Assert.Equal(run, once.NextAfter(Stockholm, Start2027));
        Assert.Null(once.NextAfter(Stockholm, run.At));
    }

    [Fact]
    public void Start_and_end_dates_bound_a_recurring_schedule()
    {
        var bounded = Advent with { StartDate = new DateOnly(2027, 12, 10), EndDate = new DateOnly(2028, 12, 3) };
        var runs = bounded.Occurrences(Stockholm, Start2027, Utc(2029, 1, 1, 0)).ToList();
        Assert.Equal(15 + 3, runs.Count);
        Assert.Equal(("20271210T0800", "20281203T0800"), (runs[0].RunId, runs[^1].RunId));
    }

    public static Arbitrary<(CampaignSchedule, TimeZoneInfo)> Schedules()
    {
        var zones = new[] { "Europe/Stockholm", "America/New_York", "Australia/Lord_Howe", "Pacific/Auckland", "America/Santiago" }
            .Select(TimeZoneInfo.FindSystemTimeZoneById).ToArray();
        var time = from h in Gen.Elements(0, 1, 2, 3, 23) from m in Gen.Elements(0, 15, 30, 45) select new TimeOnly(h, m);
        var weekly = from t in time
                     from days in Gen.SubListOf(Enum.GetValues<DayOfWeek>())
                     from months in Gen.SubListOf(Enumerable.Range(1, 12))
                     where days.Count > 0
                     select new CampaignSchedule { Kind = ScheduleKind.Weekly, Time = t, DaysOfWeek = [.. days], Months = [.. months] };
        var monthly = from t in time
                      from days in Gen.SubListOf(new[] { 1, 2, 15, 28, 29, 30, 31 })
                      where days.Count > 0
                      select new CampaignSchedule { Kind = ScheduleKind.Monthly, Time = t, DaysOfMonth = [.. days] };
        var annual = from t in time
                     from fromMonth in Gen.Choose(1, 12)
                     from fromDay in Gen.Choose(1, 28)
                     from toMonth in Gen.Choose(1, 12)
                     from toDay in Gen.Choose(1, 28)
                     select new CampaignSchedule { Kind = ScheduleKind.Annual, Time = t,
                         Dates = [new AnnualDates(new MonthDay(fromMonth, fromDay), new MonthDay(toMonth, toDay))] };
        return (from schedule in Gen.OneOf(weekly, monthly, annual) from zone in Gen.Elements(zones) select (schedule, zone)).ToArbitrary();
    }

    private static Arbitrary<(DateTimeOffset, DateTimeOffset, DateTimeOffset)> Instants() =>
        (from a in Gen.Choose(0, 3 * 365 * 24)
         from b in Gen.Choose(0, 400 * 24)
         from c in Gen.Choose(0, 400 * 24)
         select (Start2027.AddHours(a).AddMinutes(a % 60), Start2027.AddHours(a + b), Start2027.AddHours(a + b + c))).ToArbitrary();

    /// <summary>
    /// Cutting a period anywhere gives the same runs; runs are in order with distinct ids, one per day the rule picks,
    /// on that day's date; the next run after an instant is the first of the runs after it.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Occurrences_are_ordered_unique_per_day_and_add_up_over_adjacent_periods() =>
        Prop.ForAll(Schedules(), Instants(), (s, t) =>
        {
            var ((schedule, zone), (a, b, c)) = (s, t);
            var whole = schedule.Occurrences(zone, a, c).ToList();
            Assert.Equal(whole, schedule.Occurrences(zone, a, b).Concat(schedule.Occurrences(zone, b, c)));
            Assert.True(whole.Zip(whole.Skip(1)).All(p => p.First.At < p.Second.At && p.First.Date < p.Second.Date));
            Assert.Equal(whole.Count, whole.Select(r => r.RunId).Distinct().Count());
            Assert.All(whole, r => Assert.True(schedule.OccursOn(r.Date) && r.At > a && r.At <= c));
            var dates = Enumerable.Range(0, 800).Select(i => DateOnly.FromDateTime(a.UtcDateTime).AddDays(i - 1))
                .Where(d => schedule.OccursOn(d) && schedule.RunOn(d, zone).At > a && schedule.RunOn(d, zone).At <= c);
            Assert.Equal(dates, whole.Select(r => r.Date));
            Assert.Equal(schedule.Occurrences(zone, a, a.AddYears(2)).FirstOrDefault(), schedule.NextAfter(zone, a));
        });
}
