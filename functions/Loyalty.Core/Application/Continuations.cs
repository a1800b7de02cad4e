using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>
/// Page continuations as clients see them: the store's cursor followed by an HMAC over the listing it belongs to and
/// the cursor, in base64url. Opaque so clients do not build their own; signed so that a token this deployment did not
/// issue for this very listing (garbled, edited, or taken from another member's listing) is a client error answered
/// before any storage call. The key is derived from the member-token signing key, the deployment's secret: rotating that
/// key ends the continuations in flight, and a client starts its listing again.
/// </summary>
public sealed class Continuations(byte[] key)
{
    private const int MaxCursorLength = 1024, MacLength = 16;

    /// <summary>A cursor of <see cref="MaxCursorLength"/> characters of up to 3 UTF-8 bytes each, and the MAC, in base64url.</summary>
    private const int MaxTokenLength = ((MaxCursorLength * 3 + MacLength) * 4 + 2) / 3;

    /// <param name="listing">Which listing the cursor belongs to ("{programId}|{memberId}|receipts"); a token is valid for it only.</param>
    public string Encode(string listing, string cursor)
    {
        var bytes = Encoding.UTF8.GetBytes(cursor);
        return Base64Url.EncodeToString([.. bytes, .. Mac(listing, bytes)]);
    }

    public bool TryDecode(string token, string listing, out string cursor)
    {
        cursor = "";
        if (token.Length is 0 or > MaxTokenLength || !Base64Url.IsValid(token)) return false;
        var bytes = Base64Url.DecodeFromChars(token);
        if (bytes.Length <= MacLength) return false;
        var signed = bytes.AsSpan(0, bytes.Length - MacLength);
        if (!CryptographicOperations.FixedTimeEquals(Mac(listing, signed), bytes.AsSpan(signed.Length))) return false;
        cursor = Encoding.UTF8.GetString(signed);
        return cursor.Length <= MaxCursorLength;
    }

    /// <summary>
    /// Checks a page request the same way for every listing: the size in range and the continuation one we issued for it.
    /// </summary>
    /// <param name="after">The store cursor to continue after, null for the first page.</param>
    /// <returns>The mistakes; empty when the request is fine.</returns>
    internal IReadOnlyList<ValidationError> Check(PageRequest page, string listing, out string? after)
    {
        after = null;
        if (page.PageSize is < 1 or > PageRequest.MaxPageSize)
            return [new(ErrorCodes.OutOfRange, "pageSize", $"A page holds 1 to {PageRequest.MaxPageSize} items.")];
        if (page.Continuation is { } token)
        {
            if (!TryDecode(token, listing, out var cursor))
                return [new(ApplicationErrors.InvalidContinuation, "continuation",
                    "The continuation token is not one this API issued for this listing; start again without it.")];
            after = cursor;
        }
        return [];
    }

    /// <summary>The client's page of a store page: the cursor wrapped into a continuation token for <paramref name="listing"/>.</summary>
    internal Page<T> Page<T>(Ports.CursorPage<T> found, string listing) => new(found.Items, found.Next is null ? null : Encode(listing, found.Next));

    private byte[] Mac(string listing, ReadOnlySpan<byte> cursor)
    {
        // The listing's length first, so no listing and cursor can be re-split into another pair with the same MAC.
        var scope = Encoding.UTF8.GetBytes(listing);
        byte[] input = [.. BitConverter.GetBytes(scope.Length), .. scope, .. cursor];
        return HMACSHA256.HashData(key, input)[..MacLength];
    }
}
