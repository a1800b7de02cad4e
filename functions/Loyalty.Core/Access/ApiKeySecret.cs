using System.Security.Cryptography;
using System.Text;

namespace Loyalty.Core.Access;

/// <summary>
/// The shape of an API key: <c>lf_{keyId}_{secret}</c>. The key id is public and addresses the stored
/// record with one point read; only a SHA-256 of the secret is stored. A fast hash is right here: the
/// secret is 256 random bits, so there is nothing for a slow password hash to protect against.
/// </summary>
public sealed record ApiKeySecret(string KeyId, string Secret)
{
    private const string Prefix = "lf_";
    private const int KeyIdLength = 16;
    private const string KeyIdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public string Value => $"{Prefix}{KeyId}_{Secret}";

    public override string ToString() => $"{Prefix}{KeyId}_***";

    public static ApiKeySecret Generate()
    {
        Span<char> id = stackalloc char[KeyIdLength];
        for (var i = 0; i < id.Length; i++)
            id[i] = KeyIdAlphabet[RandomNumberGenerator.GetInt32(KeyIdAlphabet.Length)];
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new ApiKeySecret(new string(id), secret);
    }

    public static bool TryParse(string? value, out ApiKeySecret key)
    {
        key = null!;
        if (value is null || value.Length > 200 || !value.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var separator = value.IndexOf('_', Prefix.Length);
        if (separator != Prefix.Length + KeyIdLength || separator == value.Length - 1)
            return false;
        var keyId = value.Substring(Prefix.Length, KeyIdLength);
        if (!IsKeyId(keyId)) return false;
        key = new ApiKeySecret(keyId, value[(separator + 1)..]);
        return true;
    }

    /// <summary>Whether <paramref name="value"/> could be a key id at all: anything else names no key, without a look-up.</summary>
    public static bool IsKeyId(string? value) =>
        value is { Length: KeyIdLength } && value.All(c => KeyIdAlphabet.Contains(c, StringComparison.Ordinal));

    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)));

    public bool Matches(string storedHash)
    {
        var expected = Encoding.ASCII.GetBytes(storedHash);
        var actual = Encoding.ASCII.GetBytes(Hash());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
