using System.Security.Cryptography;

namespace Loyalty.Core.Application.Identities;

/// <summary>
/// Member ids: 12 characters of a base32 alphabet without look-alikes (no l, o, 0, 1): 60 random bits, URL- and
/// table-key-safe, short enough to read out at a till.
/// </summary>
public static class MemberIds
{
    private const int Length = 12;
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string Generate()
    {
        Span<char> id = stackalloc char[Length];
        for (var i = 0; i < id.Length; i++) id[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(id);
    }

    /// <summary>
    /// The same id for the same seed, spread like random ones: for demo members, whose enrolment a crash may cut short
    /// and a later run repeats under the same id, taking back the identities it had claimed.
    /// </summary>
    public static string Derive(string seed)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        Span<char> id = stackalloc char[Length];
        for (var i = 0; i < id.Length; i++) id[i] = Alphabet[hash[i] % Alphabet.Length];
        return new string(id);
    }

    /// <summary>Anything else cannot be a member: answered "not found" without touching storage.</summary>
    public static bool IsWellFormed(string? id) => id is { Length: Length } && id.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
