using System.Collections.Immutable;
using Loyalty.Core.Programs;

namespace Loyalty.Core.Application.Jobs;

/// <summary>
/// When the nightly review runs: at a local time in each program's own time zone (default 02:00), per program if
/// configured. Pure and deterministic: it answers for a given instant, so hosts pass their <see cref="TimeProvider"/>'s now.
/// </summary>
/// <remarks>
/// The review for date D brings members up to D: windows that ended on D − 1 close, points valid through D − 1 expire.
/// It is due from <see cref="At"/> on D until <see cref="At"/> on D + 1. On the spring-forward night a time inside the
/// skipped hour (02:30 in Stockholm) is due at the first instant after the gap (03:00 summer time); on the fall-back
/// night at its first occurrence.
/// </remarks>
public sealed record NightlySchedule
{
    public static readonly TimeOnly DefaultAt = new(2, 0);

    public static NightlySchedule Default { get; } = new();

    /// <summary>The local time the review runs at, for programs without their own.</summary>
    public TimeOnly At { get; init; } = DefaultAt;

    /// <summary>Programs running at another local time.</summary>
    public ImmutableDictionary<string, TimeOnly> Programs { get; init; } = ImmutableDictionary<string, TimeOnly>.Empty;

    public TimeOnly For(string programId) => Programs.TryGetValue(programId, out var at) ? at : At;

    /// <summary>The latest date whose review is due at <paramref name="now"/>: today in the zone once its time has come, yesterday before.</summary>
    public DateOnly DueDate(string programId, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var today = DateOnly.FromDateTime(local);
        return TimeOnly.FromDateTime(local) >= For(programId) ? today : today.AddDays(-1);
    }

    /// <summary>The first instant after <paramref name="after"/> at which the next date falls due: when a host should look again.</summary>
    public DateTimeOffset NextRunAt(string programId, TimeZoneInfo zone, DateTimeOffset after) =>
        LocalTimes.FirstInstant(DueDate(programId, zone, after).AddDays(1), For(programId), zone);

    /// <summary>The instant the review of <paramref name="date"/> falls due.</summary>
    public DateTimeOffset DueAt(string programId, TimeZoneInfo zone, DateOnly date) => LocalTimes.FirstInstant(date, For(programId), zone);
}
