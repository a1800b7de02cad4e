using System.Globalization;

namespace Loyalty.Storage.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions where every interpolated value becomes a correctly typed,
/// escaped literal: <c>TableFilter.Create($"PartitionKey eq {pk} and RowKey ge {from}")</c>.
/// </summary>
public static class TableFilter
{
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return string.Format(LiteralFormatter.Instance, filter.Format, filter.GetArguments());
    }

    /// <summary>One value as an OData literal: 'it''s', 42, 42L, 1.5, true, datetime'…', guid'…', X'0a'.</summary>
    public static string Literal(object value) => value switch
    {
        string s => $"'{s.Replace("'", "''", StringComparison.Ordinal)}'",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d when double.IsFinite(d) => FormatDouble(d),
        bool b => b ? "true" : "false",
        DateTimeOffset dto => $"datetime'{dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)}'",
        Guid g => $"guid'{g:D}'",
        byte[] bytes => $"X'{Convert.ToHexStringLower(bytes)}'",
        null => throw new ArgumentNullException(nameof(value), "Filter values cannot be null; OData table filters have no null literal."),
        _ => throw new ArgumentException($"Filter values of type {value.GetType().Name} are not supported.", nameof(value)),
    };

    // Whole numbers keep a ".0" so the literal stays a Double rather than an Int32.
    private static string FormatDouble(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E') < 0 ? text + ".0" : text;
    }

    private sealed class LiteralFormatter : IFormatProvider, ICustomFormatter
    {
        public static readonly LiteralFormatter Instance = new();

        public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : null;

        public string Format(string? format, object? arg, IFormatProvider? formatProvider) =>
            format is null ? Literal(arg!) : throw new FormatException("Format specifiers are not allowed in table filters; the value's type decides its literal.");
    }
}
