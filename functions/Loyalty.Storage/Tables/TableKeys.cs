namespace Loyalty.Storage.Tables;

/// <summary>Key validation and the "(PartitionKey='…',RowKey='…')" entity address.</summary>
internal static class TableKeys
{
    /// <summary>
    /// Azure rejects '/', '\', '#', '?' and control characters in keys; Azurite accepts some of them
    /// and then cannot address the row, so they are refused here for both.
    /// </summary>
    public static void Validate(string partitionKey, string rowKey)
    {
        ValidateOne(partitionKey, nameof(partitionKey));
        ValidateOne(rowKey, nameof(rowKey));
    }

    /// <summary>
    /// "/{table}(PartitionKey='a%27%27b',RowKey='…')": quotes inside a key are doubled (OData string
    /// literal), then the whole key is percent-encoded so '+', '|', '@', spaces and the like survive.
    /// </summary>
    public static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"/{table}(PartitionKey='{Escape(partitionKey)}',RowKey='{Escape(rowKey)}')";

    private static string Escape(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static void ValidateOne(string key, string parameter)
    {
        ArgumentNullException.ThrowIfNull(key, parameter);
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException($"Key '{key}' contains '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c)}', which table keys cannot contain.", parameter);
            }
        }
    }
}
