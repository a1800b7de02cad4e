namespace Loyalty.Storage.Tables;

/// <summary>The characters a table key may not hold, checked before a transaction is sent.</summary>
internal static class TableKeys
{
    /// <summary>
    /// Azure rejects '/', '\', '#', '?' and control characters in keys; Azurite accepts some of them and then cannot
    /// address the row, so they are refused here for both.
    /// </summary>
    public static void Validate(string partitionKey, string rowKey)
    {
        ValidateOne(partitionKey, nameof(partitionKey));
        ValidateOne(rowKey, nameof(rowKey));
    }

    private static void ValidateOne(string key, string parameter)
    {
        ArgumentNullException.ThrowIfNull(key, parameter);
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException(
                    $"Key '{key}' contains '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c)}', which table keys cannot contain.", parameter);
            }
        }
    }
}
