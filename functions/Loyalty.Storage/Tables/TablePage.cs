namespace Loyalty.Storage.Tables;

/// <summary>One page of query results (at most 1,000 entities, fewer when the service's 5 s budget ran out).</summary>
/// <param name="Continuation">Where the next page starts; null on the last page.</param>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, TableContinuation? Continuation);

/// <summary>
/// The service's opaque continuation (x-ms-continuation-NextPartitionKey/NextRowKey). Save it (as this
/// record, or as the string from <see cref="ToString"/>) to resume a query later, even in another process.
/// </summary>
public sealed record TableContinuation(string NextPartitionKey, string? NextRowKey)
{
    /// <summary>Reads the form produced by <see cref="ToString"/>.</summary>
    public static TableContinuation Parse(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var space = token.IndexOf(' ');
        var partition = Uri.UnescapeDataString(space < 0 ? token : token[..space]);
        var row = space < 0 ? null : Uri.UnescapeDataString(token[(space + 1)..]);
        return partition.Length > 0 ? new TableContinuation(partition, row) : throw new FormatException("Not a table continuation token.");
    }

    /// <summary>A compact single-line token: the escaped NextPartitionKey, a space, the escaped NextRowKey.</summary>
    public override string ToString() =>
        NextRowKey is null ? Uri.EscapeDataString(NextPartitionKey) : $"{Uri.EscapeDataString(NextPartitionKey)} {Uri.EscapeDataString(NextRowKey)}";
}
