using Azure.Data.Tables;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// JSON in string properties. A table string holds at most 64 KiB of UTF-16, i.e. 32K characters; a whole entity 1 MiB.
/// </summary>
internal static class JsonColumns
{
    /// <summary>Characters per string property, leaving headroom below the 32K-character limit.</summary>
    public const int MaxChars = 30_000;

    private const int MaxChunks = 30;

    /// <summary>For values the domain keeps bounded (member state): exceeding the limit is a bug, said loudly.</summary>
    public static void WriteBounded(TableEntity entity, string name, string json)
    {
        if (json.Length > MaxChars)
            throw new InvalidOperationException(
                $"{name} of {entity.PartitionKey}/{entity.RowKey} is {json.Length:N0} characters of JSON, over the {MaxChars:N0} a table property holds. " +
                "The domain is meant to keep it bounded (open vouchers, lots, months are capped): this is a bug.");
        entity[name] = json;
    }

    /// <summary>For values that are legitimately large (a 500-line receipt in an operation record): split over Name, Name1, Name2, …</summary>
    public static void WriteChunked(TableEntity entity, string name, string json)
    {
        var chunks = (json.Length + MaxChars - 1) / MaxChars;
        if (chunks > MaxChunks)
            throw new InvalidOperationException($"{name} of {entity.PartitionKey}/{entity.RowKey} is {json.Length:N0} characters of " +
                "JSON, more than one entity holds.");
        for (var i = 0; i < Math.Max(chunks, 1); i++)
            entity[i == 0 ? name : $"{name}{i}"] = json.Substring(i * MaxChars, Math.Min(MaxChars, json.Length - i * MaxChars));
    }

    public static string ReadChunked(TableEntity entity, string name)
    {
        var first = entity.Required(name);
        if (entity.GetString($"{name}1") is null) return first;
        var builder = new System.Text.StringBuilder(first);
        for (var i = 1; entity.GetString($"{name}{i}") is { } more; i++) builder.Append(more);
        return builder.ToString();
    }
}
