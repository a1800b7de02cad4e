using PhoneNumbers;

namespace Loyalty.Core.Application.Identities;

/// <summary>
/// Phone numbers in E.164 ("+46701234567"), so "070-123 45 67", "+46 70 123 45 67" and "0046701234567" are one
/// identity. Numbers without a country code are read in the program's default country.
/// </summary>
public static class Phones
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static bool IsSupportedCountry(string? country) => country is { Length: 2 } && Util.GetSupportedRegions().Contains(country);

    private static readonly System.Buffers.SearchValues<char> Written = System.Buffers.SearchValues.Create("0123456789 -().");

    /// <summary>
    /// Digits, spaces, dashes, parentheses and dots, after an optional leading '+'. The parser would read past anything
    /// else ("ext 5", letters as keypad digits, a trailing NUL) and match an existing member's number.
    /// </summary>
    private static bool IsWritten(string input) =>
        !(input.StartsWith('+') ? input.AsSpan(1) : input.AsSpan()).ContainsAnyExcept(Written);

    /// <summary>An E.164 number's country calling code and national significant number ("+46705550022": "46", "705550022").</summary>
    public static bool TryParts(string e164, out string countryCode, out string national)
    {
        (countryCode, national) = ("", "");
        try
        {
            var number = Util.Parse(e164, null);
            (countryCode, national) = (number.CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Util.GetNationalSignificantNumber(number));
            return national.Length > 0;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    public static bool TryNormalize(string? input, string defaultCountry, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40 || !IsWritten(input.Trim())) return false;
        try
        {
            var number = Util.Parse(input, defaultCountry);
            if (!Util.IsValidNumber(number)) return false;
            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
