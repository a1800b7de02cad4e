using Azure;
using System.Globalization;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// The concurrency token of a stored member: the profile's ETag and the date its review index row is filed under
/// ("20270101|W/\"…\"", or "|W/\"…\"" when it is filed under none). Both belong to the same version of the member, so a
/// write conditional on the ETag knows exactly which index row to move, without every caller carrying the old date.
/// </summary>
internal static class MemberTokens
{
    public static string Create(ETag etag, DateOnly? filedOn) =>
        $"{filedOn?.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}|{etag}";

    public static (ETag ETag, DateOnly? FiledOn) Parse(string token)
    {
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        if (bar is not (0 or 8))
            throw new ArgumentException("Not a concurrency token of this store: pass back the ConcurrencyToken read with the member.", nameof(token));
        var etag = new ETag(token[(bar + 1)..]);
        return bar == 0 ? (etag, null) : (etag, DateOnly.ParseExact(token.AsSpan(0, 8), "yyyyMMdd", CultureInfo.InvariantCulture));
    }
}
