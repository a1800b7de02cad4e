namespace Loyalty.Core.Application.Privacy;

/// <summary>Free text (an audit reason) with an erased member's names, phone, e-mail and the like taken out.</summary>
public static class Redaction
{
    public const string Placeholder = "[erased]";

    /// <returns>The text with each of <paramref name="values"/> (case-insensitive) replaced by <see cref="Placeholder"/>.</returns>
    public static string Scrub(string text, IReadOnlyList<string> values) =>
        values.Aggregate(text, (scrubbed, value) => scrubbed.Replace(value, Placeholder, StringComparison.OrdinalIgnoreCase));
}
