using System.Security.Cryptography;

namespace Loyalty.Core.Application.Identities;

/// <summary>
/// Card numbers: letters and digits, read without the spaces and dashes printed on cards, upper-cased. Digital cards
/// get 16 digits whose last is a Luhn check digit, so a till catches a mistyped digit before asking storage.
/// </summary>
public static class CardNumbers
{
    private const int DigitalLength = 16;

    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = new string((input ?? "").Where(c => c is not (' ' or '-')).ToArray()).ToUpperInvariant();
        return normalized.Length is >= 4 and <= 32 && normalized.All(char.IsAsciiLetterOrDigit);
    }

    public static string GenerateDigital()
    {
        Span<char> digits = stackalloc char[DigitalLength];
        digits[0] = (char)('1' + RandomNumberGenerator.GetInt32(9));
        for (var i = 1; i < DigitalLength - 1; i++) digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        digits[^1] = (char)('0' + LuhnCheckDigit(digits[..^1]));
        return new string(digits);
    }

    /// <summary>A digital card number from its first 15 digits: the Luhn check digit appended.</summary>
    public static string Digital(string payload) =>
        payload.Length == DigitalLength - 1 && payload.All(char.IsAsciiDigit)
            ? payload + (char)('0' + LuhnCheckDigit(payload))
            : throw new ArgumentException($"A digital card number has {DigitalLength - 1} digits before its check digit.", nameof(payload));

    public static bool HasValidCheckDigit(string digits) =>
        digits.Length >= 2 && digits.All(char.IsAsciiDigit) && LuhnCheckDigit(digits.AsSpan(0, digits.Length - 1)) == digits[^1] - '0';

    private static int LuhnCheckDigit(ReadOnlySpan<char> payload)
    {
        var sum = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            var d = payload[payload.Length - 1 - i] - '0';
            // Doubling starts from the digit next to the check digit.
            if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }
}
