using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Http;

/// <summary>
/// Reads JSON request bodies with the same rules on every host. The Functions host does not run our
/// Kestrel limits or minimal-API binding, so the limit and the error mapping live here, not in middleware.
/// </summary>
public static class JsonBody
{
    /// <summary>Enough for a 500-line receipt; anything larger is a client bug or abuse.</summary>
    public const long DefaultLimit = 256 * 1024;

    /// <summary>
    /// Unknown fields are rejected rather than ignored: a misspelt optional field ("emial") silently
    /// ignored is a bug that surfaces months later as missing data.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, long limit = DefaultLimit)
        where T : class
    {
        if (request.ContentType is not { } contentType ||
            !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) &&
            !contentType.Contains("+json", StringComparison.OrdinalIgnoreCase))
            return new(null, Problems.UnsupportedMedia());
        if (request.ContentLength > limit)
            return new(null, Problems.BodyTooLarge(limit));

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
                return new(null, Problems.BodyTooLarge(limit));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            return new(null, Problems.MalformedBody("The request body is empty; a JSON object was expected."));

        var json = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (SyntaxError(json) is { } syntax)
            return new(null, Problems.MalformedBody(syntax));
        try
        {
            var value = JsonSerializer.Deserialize<T>(json, Options);
            return value is null
                ? new(null, Problems.Field("", "The request body is 'null'; a JSON object was expected."))
                : new(value, null);
        }
        catch (JsonException e)
        {
            // The syntax is fine (checked above), so this is well-formed JSON of the wrong shape: a field error.
            return new(null, Problems.Field(FieldPath(e.Path), Describe(e)));
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
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
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
        if (message.Contains("missing required properties", StringComparison.Ordinal) ||
            message.Contains("missing required", StringComparison.OrdinalIgnoreCase))
            return "Required field missing: " + RequiredNames(message) + ".";
        if (message.Contains("could not be converted", StringComparison.Ordinal))
            return "Wrong type for this field.";
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase))
            return "This field may not be null.";
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

/// <summary>Either a value or the problem to return instead.</summary>
public readonly record struct BodyResult<T>(T? Value, IResult? Problem) where T : class;
