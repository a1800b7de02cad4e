using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Loyalty.Core.Application.Identities;

namespace Loyalty.Core.Application.Privacy;

/// <summary>
/// Free text (an audit reason) with an erased member's names, phone, e-mail and the like taken out, however they
/// were written: any case for text, and for phone and card numbers any spacing, dashes or dots between the
/// characters, a phone with its country code (+46, 0046) or the national 0 (070-555 00 22 is +46705550022).
/// </summary>
public sealed class Redaction
{
    public const string Placeholder = "[erased]";

    /// <summary>What may stand between the digits of a number as people write it.</summary>
    private const string Separators = @"[\s\-./()]*";

    private readonly Regex? pattern;

    /// <param name="texts">Matched as they are, whatever the case (names, e-mail, ids, dates).</param>
    /// <param name="phones">E.164 numbers.</param>
    /// <param name="cards">Card numbers as stored (letters and digits).</param>
    public Redaction(IEnumerable<string> texts, IEnumerable<string>? phones = null, IEnumerable<string>? cards = null)
    {
        var alternatives = texts.Where(t => t.Length > 1).Select(Regex.Escape)
            .Concat((phones ?? []).Select(Phone).OfType<string>())
            .Concat((cards ?? []).Where(c => c.Length > 1).Select(Spaced))
            .OrderByDescending(a => a.Length)
            .ToList();
        pattern = alternatives.Count == 0
            ? null
            : new Regex(string.Join("|", alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>Everything of a member's profile a reason might quote.</summary>
    public static Redaction For(MemberProfile profile) => new(
        new[] { profile.FirstName, profile.LastName, profile.Email, profile.ExternalId,
        profile.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }.OfType<string>(),
        profile.Phone is { } phone ? [phone] : [],
        profile.CardNumber is { Length: > 0 } card ? [card] : []);

    /// <returns>The text with every value replaced by <see cref="Placeholder"/>.</returns>
    public string Scrub(string text) => pattern?.Replace(text, Placeholder) ?? text;

    /// <summary>The national number, optionally after its country code (+46, 0046, 46, with "(0)") or the trunk 0.</summary>
    private static string? Phone(string e164)
    {
        if (!Phones.TryParts(e164, out var countryCode, out var national)) return e164.Length > 1 ? Spaced(e164.TrimStart('+')) : null;
        return $@"(?:(?:(?:\+|00){Separators})?{Spaced(countryCode)}{Separators}(?:0{Separators})?|0{Separators})?{Spaced(national)}";
    }

    private static string Spaced(string value)
    {
        var spaced = new StringBuilder();
        foreach (var c in value)
        {
            if (spaced.Length > 0) spaced.Append(Separators);
            spaced.Append(Regex.Escape(c.ToString()));
        }
        return spaced.ToString();
    }
}
