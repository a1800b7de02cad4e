using System.Text.Json;
using Loyalty.Core.Serialization;
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

    /// <summary>The rules of <see cref="StrictJson"/>: unknown fields rejected, strict numbers, camelCase.</summary>
    public static JsonSerializerOptions Options => StrictJson.Options;

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
        var raw = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var parsed = StrictJson.Parse<T>(raw.Span);
        if (parsed.Value is { } value) return new(value, null, raw);
        return new(null, parsed.IsSyntaxError ? Problems.MalformedBody(parsed.Error!) : Problems.Field(parsed.Path!, parsed.Error!));
    }
}

/// <summary>Either a value (and the bytes it was read from, for archiving) or the problem to return instead.</summary>
public readonly record struct BodyResult<T>(T? Value, IResult? Problem, ReadOnlyMemory<byte> Raw = default) where T : class;
