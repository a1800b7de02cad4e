using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// A <see cref="TableEntity"/>'s properties as the bytes an <see cref="InMemoryTable"/> row holds: for each, the index of
/// its name (a table of the few names the stores write, kept once for all rows), a type tag and the value. A dictionary
/// per row would hold a million members in several times the memory. Times come back in UTC, as the service returns them.
/// </summary>
internal static class TableRowCodec
{
    private static readonly ConcurrentDictionary<string, int> Indexes = new(StringComparer.Ordinal);
    private static readonly Lock Adding = new();

    /// <summary>Replaced, never changed, when a name is added: rows are read without a lock.</summary>
    private static string[] names = [];

    private enum Kind : byte
    {
        String,
        Boolean,
        Int32,
        Int64,
        Double,
        Time,
        Guid,
        Binary,
    }

    public static byte[] Encode(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer);
        foreach (var (name, value) in entity)
        {
            if (value is null || name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag") continue;
            writer.Write7BitEncodedInt(Index(name));
            switch (value)
            {
                case string text: writer.Write((byte)Kind.String); writer.Write(text); break;
                case bool flag: writer.Write((byte)Kind.Boolean); writer.Write(flag); break;
                case int number: writer.Write((byte)Kind.Int32); writer.Write(number); break;
                case long number: writer.Write((byte)Kind.Int64); writer.Write(number); break;
                case double number: writer.Write((byte)Kind.Double); writer.Write(number); break;
                case DateTimeOffset time: writer.Write((byte)Kind.Time); writer.Write(time.UtcTicks); break;
                case DateTime time: writer.Write((byte)Kind.Time); writer.Write(time.ToUniversalTime().Ticks); break;
                case Guid id: writer.Write((byte)Kind.Guid); writer.Write(id.ToByteArray()); break;
                case byte[] bytes: writer.Write((byte)Kind.Binary); writer.Write7BitEncodedInt(bytes.Length); writer.Write(bytes); break;
                default: throw new NotSupportedException($"Property {name} is a {value.GetType().Name}, which the in-memory table does not store.");
            }
        }
        writer.Flush();
        return buffer.ToArray();
    }

    public static TableEntity Decode(TableRow row)
    {
        var entity = new TableEntity(row.PartitionKey, row.RowKey) { ETag = new ETag(row.ETag) };
        using var reader = new BinaryReader(new MemoryStream(row.Value, writable: false));
        while (reader.BaseStream.Position < row.Value.Length)
        {
            var name = Volatile.Read(ref names)[reader.Read7BitEncodedInt()];
            entity[name] = (Kind)reader.ReadByte() switch
            {
                Kind.String => reader.ReadString(),
                Kind.Boolean => reader.ReadBoolean(),
                Kind.Int32 => reader.ReadInt32(),
                Kind.Int64 => reader.ReadInt64(),
                Kind.Double => reader.ReadDouble(),
                Kind.Time => new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
                Kind.Guid => new Guid(reader.ReadBytes(16)),
                Kind.Binary => reader.ReadBytes(reader.Read7BitEncodedInt()),
                var kind => throw new InvalidDataException($"Row {row.PartitionKey}/{row.RowKey} has a property of unknown kind {kind}."),
            };
        }
        return entity;
    }

    private static int Index(string name) => Indexes.TryGetValue(name, out var index) ? index : Add(name);

    private static int Add(string name)
    {
        lock (Adding)
        {
            if (Indexes.TryGetValue(name, out var index)) return index;
            Volatile.Write(ref names, [.. names, name]);
            return Indexes[name] = names.Length - 1;
        }
    }
}
