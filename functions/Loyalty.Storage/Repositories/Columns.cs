using Azure.Data.Tables;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

internal static class Columns
{
    /// <summary>A property every row of its kind has; a missing one means the row was not written by these stores.</summary>
    public static string Required(this TableEntity entity, string name) =>
        entity.GetString(name) ?? throw new InvalidOperationException($"Row {entity.PartitionKey}/{entity.RowKey} has no {name}.");
}
