using System.Buffers;

namespace Loyalty.Core.Application.Identities;

/// <summary>
/// E-mail addresses trimmed and lower-cased: in practice mailbox providers ignore case, and members type it
/// inconsistently. The grammar is pragmatic, not RFC 5322's: a local part of letters, digits and
/// <c>!#$%&amp;'*+/=?^_`{|}~-</c> in dot-separated runs (no leading, trailing or double dots, at most 64); a domain of two or
/// more labels of letters, digits and inner dashes (each 1–63), ending in a top-level domain of letters; ASCII only, at
/// most 254 in all. No quoted local parts, comments, IP literals or angle brackets. Only a sent message proves an address.
/// </summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;
    private const int MaxLocalLength = 64, MaxLabelLength = 63;

    private static readonly SearchValues<char> LocalCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-");

    private static readonly SearchValues<char> LabelCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = input?.Trim().ToLowerInvariant() ?? "";
        if (normalized.Length > MaxLength) return false;
        var at = normalized.IndexOf('@');
        return at > 0 && IsLocalPart(normalized.AsSpan(0, at)) && IsDomain(normalized.AsSpan(at + 1));
    }

    private static bool IsLocalPart(ReadOnlySpan<char> local)
    {
        if (local.Length > MaxLocalLength) return false;
        foreach (var run in local.Split('.'))
            if (local[run].IsEmpty || local[run].ContainsAnyExcept(LocalCharacters)) return false;
        return true;
    }

    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        var labels = 0;
        ReadOnlySpan<char> last = default;
        foreach (var range in domain.Split('.'))
        {
            var label = domain[range];
            if (label.Length is 0 or > MaxLabelLength || label.ContainsAnyExcept(LabelCharacters) || label[0] == '-' || label[^1] == '-') return false;
            labels++;
            last = label;
        }
        return labels >= 2 && last.Length >= 2 && !last.ContainsAnyExceptInRange('a', 'z');
    }
}
