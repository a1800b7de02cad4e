using System.Text.Json;
using System.Text.Json.Serialization;

namespace Loyalty.Core.Serialization;

/// <summary>
/// Reads what clients send (HTTP bodies, POS queue messages) by one set of rules. Unknown fields are rejected rather
/// than ignored: a misspelt optional field ("emial") silently ignored is a bug that surfaces months later as
/// missing data. Errors say which field is wrong in JSON words, not .NET type names.
/// </summary>
public static class StrictJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Parses <paramref name="json"/> as a <typeparamref name="T"/>, or says what is wrong with it.</summary>
    public static Parsed<T> Parse<T>(ReadOnlySpan<byte> json) where T : class
    {
        if (json.IsEmpty) return Parsed<T>.Malformed("The body is empty; a JSON object was expected.");
        if (SyntaxError(json) is { } syntax) return Parsed<T>.Malformed(syntax);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) is { } value
                ? new Parsed<T>(value, null, null, false)
                : new Parsed<T>(null, "", "The body is 'null'; a JSON object was expected.", false);
        }
        catch (JsonException e)
        {
            // The syntax is fine (checked above), so this is well-formed JSON of the wrong shape: a field error.
            return new Parsed<T>(null, FieldPath(e.Path), Describe(e), false);
        }
    }

    /// <summary>
    /// Checked in a separate pass because the deserializer reports broken syntax and wrong types with the same
    /// exception; the client needs to know which of the two to fix.
    /// </summary>
    private static string? SyntaxError(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Options.MaxDepth });
        try
        {
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException e)
        {
            return $"Invalid JSON near line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}.";
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            NumberHandling = JsonNumberHandling.Strict,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = 16,
            // The web defaults match names case-insensitively and let a repeated key win silently: "ID" or two
            // "total"s are client bugs to report, not to guess at.
            PropertyNameCaseInsensitive = false,
            AllowDuplicateProperties = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new ExplicitOffsetConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    // System.Text.Json messages name .NET types ("could not be converted to System.Decimal"); clients
    // should read JSON words instead, so the common cases are rephrased and the rest kept short.
    private static string Describe(JsonException e)
    {
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return "Unknown field.";
        if (message.Contains("missing required", StringComparison.OrdinalIgnoreCase))
            return "Required field missing: " + RequiredNames(message) + ".";
        if (message.Contains("could not be converted", StringComparison.Ordinal))
            return "Wrong type for this field.";
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) &&
            (message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase)
                || message.Contains("allow setting null", StringComparison.OrdinalIgnoreCase)))
            return "This field may not be null.";
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return "This field appears twice.";
        if (message.Contains(ExplicitOffsetConverter.Problem, StringComparison.Ordinal))
            return ExplicitOffsetConverter.Problem;
        return "This field does not match the contract.";
    }

    private static string RequiredNames(string message)
    {
        var colon = message.LastIndexOf(':');
        return colon < 0 ? "see the API documentation" : message[(colon + 1)..].Trim().TrimEnd('.');
    }

    /// <summary>Turns System.Text.Json's "$.lines[2].quantity" into the "lines[2].quantity" our validation errors use ("" is the whole body).</summary>
    private static string FieldPath(string? jsonPath) =>
        jsonPath is null or "$" ? "" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
}

/// <summary>
/// A time without a UTC offset ("2026-03-01T10:00:00") would be read in the server's zone, which is nobody's
/// till's zone: refused, so a receipt's time always means one instant.
/// </summary>
internal sealed class ExplicitOffsetConverter : JsonConverter<DateTimeOffset>
{
    public const string Problem = "A time needs its UTC offset, e.g. 2026-03-01T10:00:00+01:00 or 2026-03-01T09:00:00Z.";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException(Problem);
        var time = text.IndexOf('T', StringComparison.Ordinal) is var t and > 0 ? text[(t + 1)..] : "";
        var hasOffset = time.EndsWith('Z') || time.EndsWith('z') || time.Contains('+', StringComparison.Ordinal)
            || time.Contains('-', StringComparison.Ordinal);
        if (!hasOffset
            || !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var value))
            throw new JsonException(Problem);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>A parsed value, or what is wrong: <see cref="IsSyntaxError"/> when it is not JSON at all, else the field at <see cref="Path"/>.</summary>
public readonly record struct Parsed<T>(T? Value, string? Path, string? Error, bool IsSyntaxError) where T : class
{
    public static Parsed<T> Malformed(string error) => new(null, null, error, true);
}
