using System.Buffers;
using Azure.Data.Tables;

namespace Loyalty.Storage.Tables;

/// <summary>
/// An upper bound of the bytes an entity adds to a request body, computed without building one: for the 4 MiB a
/// transaction may carry, and for packing members into transactions.
/// </summary>
internal static class EntitySize
{
    /// <summary>The part of a transaction body that is not the entity: boundaries, the request line with its URL, headers.</summary>
    public const int ActionOverhead = 512;

    /// <summary>Quotes, colon and comma around a property, and room for its "@odata.type" annotation.</summary>
    private const int PropertyOverhead = 48;

    /// <summary>The longest JSON of a non-string value: a Guid, a date with seven decimals, a 64-bit integer.</summary>
    private const int ScalarBytes = 40;

    // System.Text.Json writes these as themselves; anything else, as "\uXXXX" (its default encoder escapes quotes,
    // '<', '>', '&', '\'', '+' and '`' too, and every non-ASCII character).
    private static readonly SearchValues<char> Plain =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%()*,-./:;=?@[]^_{|}~");

    /// <summary>
    /// The entity's JSON. A <see cref="TableEntity"/> read from the service also holds its keys, Timestamp and
    /// odata.etag as properties: the keys count once, the read-only metadata not at all (it is not sent).
    /// </summary>
    public static long JsonBytes(ITableEntity entity)
    {
        var bytes = 2L + PropertyOverhead + Text(entity.PartitionKey) + PropertyOverhead + Text(entity.RowKey);
        if (entity is not TableEntity properties) return bytes + ScalarBytes;
        foreach (var (name, value) in properties)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag") continue;
            bytes += PropertyOverhead + Text(name) + value switch
            {
                string text => Text(text),
                byte[] binary => (binary.Length + 2) / 3 * 4,
                _ => ScalarBytes,
            };
        }

        return bytes;
    }

    /// <summary>Of one transaction action: its entity and what surrounds it.</summary>
    public static long ActionBytes(TableTransactionAction action) =>
        ActionOverhead + (3L * (action.Entity.PartitionKey.Length + action.Entity.RowKey.Length)) + JsonBytes(action.Entity);

    private static long Text(string? text)
    {
        if (text is null) return 4;
        var span = text.AsSpan();
        long bytes = text.Length;
        for (var at = span.IndexOfAnyExcept(Plain); at >= 0; at = span.IndexOfAnyExcept(Plain))
        {
            bytes += 5;
            span = span[(at + 1)..];
        }

        return bytes;
    }
}
