using System.Text;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Puts free text (an e-mail address, an external id) into a table key. '/', '\', '#' and '?' are legal in an e-mail
/// address but not in a key, so they and '%' itself are percent-encoded: the mapping stays one-to-one.
/// Control characters never get this far: the services reject them.
/// </summary>
internal static class KeyText
{
    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("%/\\#?") < 0) return value;
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '%' or '/' or '\\' or '#' or '?') builder.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>The text <see cref="Escape"/> was given ('%' is always escaped, so decoding is exact).</summary>
    public static string Unescape(string key) => Uri.UnescapeDataString(key);

    /// <summary>Inverted ticks sort newest first in a key range: 19 digits, the width of <see cref="long.MaxValue"/>.</summary>
    public static string NewestFirst(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks)
        .ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}
