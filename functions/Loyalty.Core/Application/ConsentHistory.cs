namespace Loyalty.Core.Application;

internal static class ConsentHistory
{
    /// <summary>The consents that differ between two versions of a profile, as history entries.</summary>
    public static IReadOnlyList<ConsentChange> Changes(
        IReadOnlyDictionary<ConsentChannel, Consent> before, IReadOnlyDictionary<ConsentChannel, Consent> after) =>
        [.. after.Where(c => !before.TryGetValue(c.Key, out var had) || had != c.Value)
            .OrderBy(c => c.Key)
            .Select(c => new ConsentChange(c.Key, c.Value.Granted, c.Value.ChangedAt, c.Value.Source))];
}
