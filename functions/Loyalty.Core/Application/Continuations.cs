using System.Buffers.Text;
using System.Text;

namespace Loyalty.Core.Application;

/// <summary>
/// Page continuations as clients see them: base64url of the store's cursor. Opaque so clients do not build their own;
/// validated so a garbled token is a clear client error. A forged one gains nothing: the store reads only within the
/// member's own key range, whatever the cursor says.
/// </summary>
public static class Continuations
{
    private const int MaxCursorLength = 1024;

    public static string Encode(string cursor) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(cursor));

    /// <summary>
    /// Checks a page request the same way for every listing: the size in range and the continuation one we issued.
    /// </summary>
    /// <param name="after">The store cursor to continue after, null for the first page.</param>
    /// <returns>The mistakes; empty when the request is fine.</returns>
    internal static IReadOnlyList<Validation.ValidationError> Check(PageRequest page, out string? after)
    {
        after = null;
        if (page.PageSize is < 1 or > PageRequest.MaxPageSize)
            return [new(Validation.ErrorCodes.OutOfRange, "pageSize", $"A page holds 1 to {PageRequest.MaxPageSize} items.")];
        if (page.Continuation is { } token)
        {
            if (!TryDecode(token, out var cursor))
                return [new(ApplicationErrors.InvalidContinuation, "continuation", "The continuation token is not one this API issued; start again without it.")];
            after = cursor;
        }
        return [];
    }

    /// <summary>The client's page of a store page: the cursor wrapped into a continuation token.</summary>
    internal static Page<T> Page<T>(Ports.CursorPage<T> found) => new(found.Items, found.Next is null ? null : Encode(found.Next));

    public static bool TryDecode(string token, out string cursor)
    {
        cursor = "";
        if (token.Length is 0 or > MaxCursorLength * 2 || !Base64Url.IsValid(token)) return false;
        try
        {
            cursor = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token));
        }
        catch (ArgumentException)
        {
            return false;
        }
        return cursor.Length is > 0 and <= MaxCursorLength && !cursor.Any(char.IsControl);
    }
}
