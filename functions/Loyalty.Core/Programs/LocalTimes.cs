namespace Loyalty.Core.Programs;

/// <summary>Turning a wall-clock time in a program's zone into an instant, the same way for every schedule.</summary>
internal static class LocalTimes
{
    /// <summary>
    /// The instant the wall clock in <paramref name="zone"/> first shows <paramref name="time"/> on <paramref name="date"/>.
    /// Inside a spring-forward gap the clock never shows it, so the first minute that exists after the gap is taken;
    /// in the fall-back hour it shows twice, and the first (the larger offset) is taken so nothing runs twice.
    /// </summary>
    public static DateTimeOffset FirstInstant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The calendar date of an instant in <paramref name="zone"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
