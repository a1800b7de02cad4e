using System.Text.Json;
using Loyalty.Core.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Loyalty.Api.Http;

/// <summary>
/// Reads JSON request bodies with the same rules on every host. The Functions host does not run our
/// Kestrel limits or minimal-API binding, so the limit and the error mapping live here, not in middleware.
/// </summary>
public static class JsonBody
{
    /// <summary>Enough for a 500-line receipt; anything larger is a client bug or abuse.</summary>
    public const long DefaultLimit = 256 * 1024;

    /// <summary>The rules of <see cref="StrictJson"/>: unknown fields rejected, strict numbers, camelCase.</summary>
    public static JsonSerializerOptions Options => StrictJson.Options;

    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, long limit = DefaultLimit)
        where T : class
    {
        if (!IsJsonInUtf8(request.ContentType))
            return new(null, Problems.UnsupportedMedia());
        if (request.ContentLength > limit)
            return new(null, Problems.BodyTooLarge(limit));

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                return new(null, Problems.BodyTooLarge(limit));
            buffer.Write(chunk, 0, read);
        }
        var raw = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var parsed = StrictJson.Parse<T>(raw.Span);
        if (parsed.Value is { } value) return new(value, null, raw);
        return new(null, parsed.IsSyntaxError ? Problems.MalformedBody(parsed.Error!) : Problems.Field(parsed.Path!, parsed.Error!));
    }

    /// <summary>
    /// application/json or application/*+json, in UTF-8 (RFC 8259 allows no other encoding between systems). A body
    /// announced in another charset is refused as such, not misread as malformed JSON.
    /// </summary>
    public static bool IsJsonInUtf8(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.Type.Equals("application", StringComparison.OrdinalIgnoreCase)) return false;
        var isJson = media.Suffix.HasValue
            ? media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)
            : media.SubType.Equals("json", StringComparison.OrdinalIgnoreCase);
        var charset = HeaderUtilities.RemoveQuotes(media.Charset);
        return isJson && (!media.Charset.HasValue ||
            charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Either a value (and the bytes it was read from, for archiving) or the problem to return instead.</summary>
public readonly record struct BodyResult<T>(T? Value, IResult? Problem, ReadOnlyMemory<byte> Raw = default) where T : class;
