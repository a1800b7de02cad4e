using System.Globalization;
using System.Text;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// A row's value as the bytes a Table row would carry: its columns as UTF-8 text, separated by a newline, which compact
/// JSON never holds (it escapes one inside a string). A null column and an empty one read back alike, as an absent
/// property and an empty string do for the stores.
/// </summary>
internal static class Columns
{
    private const char Separator = '\n';

    public static byte[] Pack(params string?[] columns)
    {
        foreach (var column in columns)
            if (column is not null && column.Contains(Separator, StringComparison.Ordinal))
                throw new ArgumentException("A column holds a newline.", nameof(columns));
        return Encoding.UTF8.GetBytes(string.Join(Separator, columns.Select(c => c ?? "")));
    }

    public static string?[] Unpack(byte[] value) =>
        [.. Encoding.UTF8.GetString(value).Split(Separator).Select(c => c.Length == 0 ? null : c)];

    public static string Date(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture);

    public static string Shard(int shard) => shard.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Keeps '|' (the keys' separator) and '%' out of a key part, so a prefix ending in '|' names exactly one value.</summary>
    public static string Escape(string part) => part.Replace("%", "%25", StringComparison.Ordinal).Replace("|", "%7C", StringComparison.Ordinal);
}
