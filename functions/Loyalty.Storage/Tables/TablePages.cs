using Azure;
using Azure.Data.Tables;

namespace Loyalty.Storage.Tables;

/// <summary>One page of a query at a time, resumable from a cursor the API may have handed out.</summary>
public static class TablePages
{
    /// <summary>The first page from <paramref name="continuation"/> (the SDK's token; null for the start).</summary>
    public static async Task<Page<T>> FirstPageAsync<T>(this TableClient table, string filter, int pageSize, string? continuation,
        IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
        where T : class, ITableEntity
    {
        await foreach (var page in table.QueryAsync<T>(filter, pageSize, select, cancellationToken).AsPages(continuation, pageSize))
            return page;
        throw new InvalidOperationException("The query returned no page at all.");
    }

    /// <summary>
    /// A continuation as a cursor for API callers: the next partition and row key percent-encoded and joined by a space,
    /// the form the API has always handed out. The SDK's own token joins them unencoded; a cursor of the old form given
    /// to the SDK as it is resumed one row late (Azurite's "YzI%3D" read as a key other than "YzI="), so cursors are
    /// translated both ways rather than passed through.
    /// </summary>
    public static string? ToCursor(string? continuation) =>
        continuation is null ? null : string.Join(' ', continuation.Split(' ').Select(Uri.EscapeDataString));

    /// <summary>The SDK's token for a cursor from <see cref="ToCursor"/>.</summary>
    /// <exception cref="FormatException">Not a cursor of this form.</exception>
    public static string FromCursor(string cursor)
    {
        var parts = cursor.Split(' ');
        if (parts.Length is not (1 or 2) || parts[0].Length == 0) throw new FormatException("Not a table cursor.");
        return string.Join(' ', parts.Select(Uri.UnescapeDataString));
    }
}
