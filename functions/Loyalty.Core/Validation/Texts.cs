using System.Globalization;

namespace Loyalty.Core.Validation;

/// <summary>
/// Free text people read (names, SKUs, categories, reasons): bounded, without control characters or broken UTF-16, and
/// text made only of characters that show nothing (spaces, zero-width spaces, joiners, bidi marks, filler letters) is blank.
/// </summary>
public static class Texts
{
    /// <summary>Whitespace, control and format characters (U+200B, U+200D, U+FEFF, U+202E…) and the blank "letters" of Hangul and Braille.</summary>
    public static bool IsInvisible(char c) =>
        char.IsWhiteSpace(c)
        || char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        || c is '\u115F' or '\u1160' or '\u3164' or '\uFFA0' or '\u2800' or '\u034F';

    public static bool IsBlank(string? value) => value is null || value.All(IsInvisible);

    /// <summary>The text without invisible characters at either end; "" when it is blank.</summary>
    public static string Trim(string value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && IsInvisible(value[start])) start++;
        while (end > start && IsInvisible(value[end - 1])) end--;
        return value[start..end];
    }

    /// <summary>No control characters and no half of a surrogate pair (which no encoding can store).</summary>
    public static bool IsPrintable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c)) return false;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(c)) return false;
        }
        return true;
    }
}
