using System.Buffers;

namespace Loyalty.Core.Validation;

/// <summary>
/// The one grammar of every id a client chooses or quotes: receipt ids, request ids, segment, campaign, store, terminal
/// and external ids, stamp card ids, coupon codes, voucher ids. An id is 1 to a kind's maximum of ASCII letters, digits
/// and '-', '_', '.', ':'. Ids become table keys, blob names, URL path segments and header values; this alphabet is safe
/// in all of them unescaped, and leaves no room for control characters, invisible characters or look-alikes.
/// </summary>
public static class Ids
{
    /// <summary>The longest id a client chooses (receipt, request, segment, campaign, store, external id…).</summary>
    public const int MaxLength = 64;

    /// <summary>Voucher ids are made of a prefix and an id a client chose ("app:{requestId}", "{receiptId}:card:{cardId}:{n}").</summary>
    public const int MaxVoucherIdLength = 200;

    /// <summary>Coupon codes and stamp card ids: printed or typed, so short.</summary>
    public const int MaxCodeLength = 40;

    public const string Alphabet = "ASCII letters, digits, '-', '_', '.' and ':'";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:");

    public static bool IsValid(string? id, int maxLength = MaxLength) =>
        id is { Length: > 0 } && id.Length <= maxLength && !id.AsSpan().ContainsAnyExcept(Allowed);
}
