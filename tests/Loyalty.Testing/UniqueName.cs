using System.Text;

namespace Loyalty.Testing;

/// <summary>
/// Resource names no other test (or test run) uses, so tests can run in parallel against one Azurite.
/// The prefix only helps a human reading Azurite's data; it is sanitised to the service's rules.
/// </summary>
public static class UniqueName
{
    private const int MaxLength = 63;

    /// <summary>Letters and digits, starting with a letter, at most 63 characters.</summary>
    public static string Table(string prefix)
    {
        var clean = new string(prefix.Where(char.IsAsciiLetterOrDigit).ToArray());
        if (clean.Length == 0 || !char.IsAsciiLetter(clean[0]))
        {
            clean = "t" + clean;
        }

        var suffix = Suffix();
        return clean[..Math.Min(clean.Length, MaxLength - suffix.Length)] + suffix;
    }

    /// <summary>Lower-case letters, digits and single hyphens, 3 to 63 characters.</summary>
    public static string Queue(string prefix) => Hyphenated(prefix);

    /// <summary>Lower-case letters, digits and single hyphens, 3 to 63 characters.</summary>
    public static string Container(string prefix) => Hyphenated(prefix);

    private static string Hyphenated(string prefix)
    {
        var builder = new StringBuilder(prefix.Length);
        foreach (var c in prefix.ToLowerInvariant())
        {
            var next = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-';
            if (next != '-' || (builder.Length > 0 && builder[^1] != '-'))
            {
                builder.Append(next);
            }
        }

        var suffix = Suffix();
        var clean = builder.ToString(0, Math.Min(builder.Length, MaxLength - suffix.Length - 1)).Trim('-');
        return clean.Length == 0 ? "x-" + suffix : $"{clean}-{suffix}";
    }

    // 64 random bits: collisions across parallel tests are not a practical concern.
    private static string Suffix() => Guid.NewGuid().ToString("N")[..16];
}
