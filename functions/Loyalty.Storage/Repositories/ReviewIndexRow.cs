using Azure;
using Azure.Data.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// A review index row (<see cref="MemberRows.ReviewRow"/>) as the nightly review reads it: the key only. Bound to a
/// class, the SDK skips the dictionary it builds and searches for every <see cref="TableEntity"/>, and a shard's scan
/// reads one of these per member due.
/// </summary>
internal sealed class ReviewIndexRow : ITableEntity
{
    public static readonly IReadOnlyList<string> Selected = [nameof(RowKey)];

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }
}
