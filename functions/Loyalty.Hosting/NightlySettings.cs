using System.Collections.Immutable;
using System.Globalization;
using Loyalty.Core.Application.Jobs;
using Microsoft.Extensions.Configuration;

namespace Loyalty.Hosting;

/// <summary>
/// When the nightly review runs, from configuration: <c>Nightly:At</c> the local time for every program ("02:00" if
/// absent), <c>Nightly:Programs:{programId}</c> another time for one program ("03:30"). Times are in each program's zone.
/// </summary>
public static class NightlySettings
{
    public const string Section = "Nightly";

    public static NightlySchedule Schedule(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var programs = section.GetSection("Programs").GetChildren()
            .ToImmutableDictionary(child => child.Key, child => Time(child.Value, $"{Section}:Programs:{child.Key}"), StringComparer.Ordinal);
        return new NightlySchedule
        {
            At = section["At"] is { Length: > 0 } at ? Time(at, $"{Section}:At") : NightlySchedule.DefaultAt,
            Programs = programs,
        };
    }

    private static TimeOnly Time(string? value, string key) =>
        TimeOnly.TryParseExact(value, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new InvalidOperationException($"{key} is '{value}'; give a local time as HH:mm, e.g. 02:00.");
}
