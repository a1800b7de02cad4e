using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Loyalty.Core.Access;

/// <summary>
/// The signing keys of member tokens: the current one signs, the previous ones (kept for one token lifetime after a
/// rotation) still verify. A key's id (<c>kid</c>) is derived from the key itself, so rotating needs no second setting
/// that could drift from the first, and a token names the key that can check it without revealing anything about it.
/// </summary>
public sealed class MemberTokenKeys
{
    /// <summary>A GUID (what the Bicep generates) is 36 characters; anything much shorter is a typo or a placeholder.</summary>
    public const int MinLength = 32;

    private readonly Dictionary<string, byte[]> verifying = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">A key is shorter than <see cref="MinLength"/>.</exception>
    public MemberTokenKeys(string current, IEnumerable<string>? previous = null)
    {
        (CurrentKid, Current) = Key(current);
        verifying[CurrentKid] = Current;
        foreach (var (kid, secret) in (previous ?? []).Select(Key))
            verifying.TryAdd(kid, secret);
    }

    public string CurrentKid { get; }

    /// <summary>The current key's bytes, also the root of the one-time-code secrets (<see cref="Derive"/>).</summary>
    internal byte[] Current { get; }

    /// <summary>A random key for a host without configuration: tokens die with the process and are not shared between instances.</summary>
    public static MemberTokenKeys Ephemeral() => new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    internal byte[]? Find(string kid) => verifying.GetValueOrDefault(kid);

    /// <summary>A separate key for another purpose, so a code hash can never be replayed as a token signature.</summary>
    internal byte[] Derive(string purpose) => HMACSHA256.HashData(Current, Encoding.UTF8.GetBytes(purpose));

    private static (string Kid, byte[] Secret) Key(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length < MinLength)
            throw new ArgumentException($"A member-token signing key has at least {MinLength} characters (use 32 random bytes, base64).", nameof(value));
        var secret = Encoding.UTF8.GetBytes(value.Trim());
        var kid = Base64Url.EncodeToString(SHA256.HashData([.. "kid:"u8, .. secret]))[..8];
        return (kid, secret);
    }
}

/// <summary>
/// Member tokens: compact JWTs (HS256) naming the program and the member, short-lived, so a stolen one is worth
/// little and no revocation list is needed. Only this service issues and reads them, hence a symmetric key.
/// </summary>
public sealed class MemberTokenSigner(MemberTokenKeys keys)
{
    public const string Audience = "loyalty-functions:member";
    private const int MaxLength = 2048;
    private static readonly byte[] Header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\""u8.ToArray();

    public string Issue(string programId, string memberId, DateTimeOffset now, TimeSpan lifetime)
    {
        var header = Base64Url.EncodeToString([.. Header, .. Encoding.UTF8.GetBytes(keys.CurrentKid), .. "\"}"u8]);
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = Audience,
            ["prg"] = programId,
            ["sub"] = memberId,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12)),
        }));
        return $"{header}.{payload}.{Sign(keys.Current, header, payload)}";
    }

    /// <summary>The program and member of a token that is well-formed, signed by a known key, for members and unexpired; null otherwise.</summary>
    public (string ProgramId, string MemberId)? Validate(string token, DateTimeOffset now)
    {
        if (token.Length is 0 or > MaxLength) return null;
        var parts = token.Split('.');
        if (parts.Length != 3 || !parts.All(p => Base64Url.IsValid(p))) return null;
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            if (Text(header.RootElement, "alg") != "HS256" || Text(header.RootElement, "kid") is not { } kid || keys.Find(kid) is not { } key) return null;
            var expected = Encoding.ASCII.GetBytes(Sign(key, parts[0], parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2]))) return null;
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var claims = payload.RootElement;
            return Text(claims, "aud") == Audience &&
                   claims.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var expires) && DateTimeOffset.FromUnixTimeSeconds(expires) > now &&
                   Text(claims, "prg") is { Length: > 0 } programId && Text(claims, "sub") is { Length: > 0 } memberId
                ? (programId, memberId)
                : null;
        }
        // Whatever a client sends as a token is its mistake, never ours: garbled JSON, invalid UTF-8, absurd numbers.
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Sign(byte[] key, string header, string payload) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}")));

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;
}
