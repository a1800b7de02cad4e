using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace Loyalty.Storage.Tables;

/// <summary>
/// The Table service's OData JSON (minimal or full metadata) for entities, without reflection.
/// Types the JSON value cannot carry by itself get an "Name@odata.type" annotation, written and
/// expected before the value as OData requires.
/// </summary>
internal static class TableEntityJson
{
    private const string AnnotationSuffix = "@odata.type";

    private enum EdmType
    {
        None,
        String,
        Int32,
        Int64,
        Double,
        Boolean,
        DateTime,
        Guid,
        Binary,
    }

    public static ReadOnlyMemory<byte> Serialize(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }

        return buffer.WrittenMemory;
    }

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        Span<char> scratch = stackalloc char[64];
        writer.WriteStartObject();
        writer.WriteString("PartitionKey"u8, entity.PartitionKey);
        writer.WriteString("RowKey"u8, entity.RowKey);
        foreach (var (name, value) in entity)
        {
            switch (value)
            {
                case string s:
                    writer.WriteString(name, s);
                    break;
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case long l:
                    WriteAnnotation(writer, name, "Edm.Int64"u8);
                    l.TryFormat(scratch, out var longLength, default, CultureInfo.InvariantCulture);
                    writer.WriteString(name, scratch[..longLength]);
                    break;
                case double d:
                    WriteAnnotation(writer, name, "Edm.Double"u8);
                    if (double.IsFinite(d))
                    {
                        writer.WriteNumber(name, d);
                    }
                    else
                    {
                        writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    }

                    break;
                case DateTimeOffset dto:
                    WriteAnnotation(writer, name, "Edm.DateTime"u8);
                    dto.UtcDateTime.TryFormat(scratch, out var dateLength, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
                    writer.WriteString(name, scratch[..dateLength]);
                    break;
                case Guid g:
                    WriteAnnotation(writer, name, "Edm.Guid"u8);
                    writer.WriteString(name, g);
                    break;
                case byte[] bytes:
                    WriteAnnotation(writer, name, "Edm.Binary"u8);
                    writer.WriteBase64String(name, bytes);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads one entity (a single GET) from a whole response body.</summary>
    public static TableEntity ParseEntity(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return ReadEntity(ref reader);
    }

    /// <summary>Reads the entities of a query page: {"odata.metadata":…,"value":[…]}.</summary>
    public static List<TableEntity> ParseEntities(ReadOnlySpan<byte> json)
    {
        var entities = new List<TableEntity>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                entities.Add(ReadEntity(ref reader));
            }
        }

        return entities;
    }

    private static TableEntity ReadEntity(ref Utf8JsonReader reader)
    {
        var entity = new TableEntity(string.Empty, string.Empty);
        string? pendingName = null;
        var pendingType = EdmType.None;
        Dictionary<string, EdmType>? morePending = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("PartitionKey"u8))
            {
                reader.Read();
                entity.PartitionKey = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("RowKey"u8))
            {
                reader.Read();
                entity.RowKey = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("Timestamp"u8))
            {
                reader.Read();
                entity.Timestamp = reader.GetDateTimeOffset().ToUniversalTime();
            }
            else if (reader.ValueTextEquals("odata.etag"u8))
            {
                reader.Read();
                entity.ETag = new ETag(reader.GetString()!);
            }
            else if (IsMetadata(ref reader))
            {
                reader.Read();
                reader.Skip();
            }
            else
            {
                var name = reader.GetString()!;
                reader.Read();
                if (name.EndsWith(AnnotationSuffix, StringComparison.Ordinal))
                {
                    var target = name[..^AnnotationSuffix.Length];
                    if (pendingName is not null)
                    {
                        (morePending ??= new Dictionary<string, EdmType>(StringComparer.Ordinal))[pendingName] = pendingType;
                    }

                    (pendingName, pendingType) = (target, ParseEdmType(ref reader));
                    continue;
                }

                var type = EdmType.None;
                if (name == pendingName)
                {
                    (type, pendingName) = (pendingType, null);
                }
                else if (morePending is not null && morePending.Remove(name, out var earlier))
                {
                    type = earlier;
                }

                if (ReadValue(ref reader, type, name) is { } value)
                {
                    entity.SetParsed(name, value);
                }
            }
        }

        return entity;
    }

    // odata.metadata, odata.type, odata.id, odata.editLink and annotations of the system properties.
    private static bool IsMetadata(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("Timestamp@odata.type"u8) ||
        (!reader.ValueIsEscaped && reader.ValueSpan.StartsWith("odata."u8));

    private static EdmType ParseEdmType(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("Edm.String"u8) ? EdmType.String :
        reader.ValueTextEquals("Edm.Int32"u8) ? EdmType.Int32 :
        reader.ValueTextEquals("Edm.Int64"u8) ? EdmType.Int64 :
        reader.ValueTextEquals("Edm.Double"u8) ? EdmType.Double :
        reader.ValueTextEquals("Edm.Boolean"u8) ? EdmType.Boolean :
        reader.ValueTextEquals("Edm.DateTime"u8) ? EdmType.DateTime :
        reader.ValueTextEquals("Edm.Guid"u8) ? EdmType.Guid :
        reader.ValueTextEquals("Edm.Binary"u8) ? EdmType.Binary :
        throw new JsonException($"Unsupported entity property type '{reader.GetString()}'.");

    private static object? ReadValue(ref Utf8JsonReader reader, EdmType type, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Number:
                return type switch
                {
                    EdmType.Double => reader.GetDouble(),
                    EdmType.Int64 => reader.GetInt64(),
                    EdmType.Int32 => reader.GetInt32(),
                    // Unannotated: the service writes doubles with a '.' or an exponent ("5.0"), Int32 without.
                    _ => IsIntegerLiteral(reader.ValueSpan) && reader.TryGetInt32(out var i) ? (object)i : reader.GetDouble(),
                };
            case JsonTokenType.String:
                return type switch
                {
                    EdmType.None or EdmType.String => reader.GetString(),
                    EdmType.Int64 => long.Parse(reader.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                    EdmType.Double => ParseDouble(reader.GetString()!),
                    EdmType.DateTime => reader.GetDateTimeOffset().ToUniversalTime(),
                    EdmType.Guid => reader.GetGuid(),
                    EdmType.Binary => reader.GetBytesFromBase64(),
                    _ => throw new JsonException($"Property '{name}' has a string value but type {type}."),
                };
            default:
                throw new JsonException($"Property '{name}' has an unsupported JSON value ({reader.TokenType}).");
        }
    }

    private static bool IsIntegerLiteral(ReadOnlySpan<byte> raw) => raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;

    private static double ParseDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static void WriteAnnotation(Utf8JsonWriter writer, string name, ReadOnlySpan<byte> edmType)
    {
        Span<char> annotation = stackalloc char[name.Length + AnnotationSuffix.Length];
        name.CopyTo(annotation);
        AnnotationSuffix.CopyTo(annotation[name.Length..]);
        writer.WritePropertyName(annotation);
        writer.WriteStringValue(edmType);
    }
}
