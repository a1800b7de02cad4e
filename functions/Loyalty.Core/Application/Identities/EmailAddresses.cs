namespace Loyalty.Core.Application.Identities;

/// <summary>
/// E-mail addresses trimmed and lower-cased: in practice mailbox providers ignore case, and members type it
/// inconsistently. Validity is deliberately basic (one '@', a dotted domain, no spaces); only a sent message proves an address.
/// </summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;

    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = input?.Trim().ToLowerInvariant() ?? "";
        var at = normalized.IndexOf('@');
        var domain = at < 0 ? "" : normalized[(at + 1)..];
        return normalized.Length <= MaxLength
            && at > 0
            && domain.Length >= 3 && !domain.Contains('@') && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.')
            && !normalized.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
    }
}
