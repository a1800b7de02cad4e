using System.Collections;
using Azure;

namespace Loyalty.Storage.Tables;

/// <summary>
/// A table row: keys, ETag, Timestamp and up to 252 typed properties. Property values are one of
/// <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>,
/// <see cref="DateTimeOffset"/> (kept in UTC), <see cref="Guid"/> or <see cref="byte"/>[]; each
/// round-trips with its exact Edm type. Setting a property to null removes it.
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object>>
{
    private readonly Dictionary<string, object> properties;

    public TableEntity(string partitionKey, string rowKey)
        : this(partitionKey, rowKey, 8)
    {
    }

    internal TableEntity(string partitionKey, string rowKey, int capacity)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
        properties = new Dictionary<string, object>(capacity, StringComparer.Ordinal);
    }

    public string PartitionKey { get; set; }

    public string RowKey { get; set; }

    /// <summary>The version read from the service; default when the entity was built locally.</summary>
    public ETag ETag { get; set; }

    /// <summary>When the service last modified the row; null when the entity was built locally.</summary>
    public DateTimeOffset? Timestamp { get; internal set; }

    public int Count => properties.Count;

    public IEnumerable<string> Keys => properties.Keys;

    /// <summary>The value, or null when absent. Setting null removes the property.</summary>
    public object? this[string name]
    {
        get => properties.GetValueOrDefault(name);
        set
        {
            ValidateName(name);
            if (value is null)
            {
                properties.Remove(name);
                return;
            }

            properties[name] = value switch
            {
                string or int or long or double or bool or Guid or byte[] => value,
                DateTimeOffset d => d.ToUniversalTime(),
                _ => throw new ArgumentException(
                    $"Property '{name}' has unsupported type {value.GetType().Name}; use string, int, long, double, bool, DateTimeOffset, Guid or byte[].",
                    nameof(value)),
            };
        }
    }

    public bool ContainsKey(string name) => properties.ContainsKey(name);

    public bool Remove(string name) => properties.Remove(name);

    public string? GetString(string name) => Get<string>(name);

    public int? GetInt32(string name) => GetValue<int>(name);

    /// <summary>An Int64, or an Int32 widened (a property may have been written with either).</summary>
    public long? GetInt64(string name) => properties.GetValueOrDefault(name) is int i ? i : GetValue<long>(name);

    /// <summary>A Double, or an Int32 widened.</summary>
    public double? GetDouble(string name) => properties.GetValueOrDefault(name) is int i ? i : GetValue<double>(name);

    public bool? GetBoolean(string name) => GetValue<bool>(name);

    public DateTimeOffset? GetDateTimeOffset(string name) => GetValue<DateTimeOffset>(name);

    public Guid? GetGuid(string name) => GetValue<Guid>(name);

    public byte[]? GetBinary(string name) => Get<byte[]>(name);

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"TableEntity({PartitionKey}, {RowKey}, {Count} properties)";

    /// <summary>For the deserializer: values are already of a supported type.</summary>
    internal void SetParsed(string name, object value) => properties[name] = value;

    private T? Get<T>(string name)
        where T : class =>
        properties.GetValueOrDefault(name) switch
        {
            null => null,
            T value => value,
            var other => throw WrongType(name, other, typeof(T)),
        };

    private T? GetValue<T>(string name)
        where T : struct =>
        properties.GetValueOrDefault(name) switch
        {
            null => null,
            T value => value,
            var other => throw WrongType(name, other, typeof(T)),
        };

    private static InvalidCastException WrongType(string name, object value, Type requested) =>
        new($"Property '{name}' is {value.GetType().Name}, not {requested.Name}.");

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 255)
        {
            throw new ArgumentException("Property names are at most 255 characters.", nameof(name));
        }

        if (name is "PartitionKey" or "RowKey" or "Timestamp" or "ETag" || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@'))
        {
            throw new ArgumentException($"'{name}' is reserved; use the PartitionKey, RowKey and ETag properties.", nameof(name));
        }
    }
}
