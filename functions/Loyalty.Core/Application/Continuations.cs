using System.Buffers.Text;
using System.Text;

namespace Loyalty.Core.Application;

/// <summary>
/// Page continuations as clients see them: base64url of the store's cursor. Opaque so clients do not build their own;
/// validated so a garbled token is a clear client error. A forged one gains nothing: the store reads only within the
/// member's own key range, whatever the cursor says.
/// </summary>
public static class Continuations
{
    private const int MaxCursorLength = 1024;

    public static string Encode(string cursor) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(cursor));

    public static bool TryDecode(string token, out string cursor)
    {
        cursor = "";
        if (token.Length is 0 or > MaxCursorLength * 2 || !Base64Url.IsValid(token)) return false;
        try
        {
            cursor = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token));
        }
        catch (ArgumentException)
        {
            return false;
        }
        return cursor.Length is > 0 and <= MaxCursorLength && !cursor.Any(char.IsControl);
    }
}
