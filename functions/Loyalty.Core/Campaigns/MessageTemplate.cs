using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Loyalty.Core.Segments;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Campaigns;

/// <summary>
/// A message text with personalisation fields, parsed once when the campaign is defined so a misspelt field is a
/// definition error, not 210,000 broken messages. <c>{firstName|there}</c> renders "there" when the member has no
/// first name; <c>{{</c> and <c>}}</c> are literal braces. Numbers render without grouping, dates as yyyy-MM-dd, so a
/// message reads the same whatever the server's culture.
/// </summary>
public sealed class MessageTemplate
{
    private static readonly FrozenDictionary<string, Field> Names = new Dictionary<string, Field>
    {
        ["firstName"] = Field.FirstName,
        ["tier"] = Field.Tier,
        ["nextTier"] = Field.NextTier,
        ["pointsToNextTier"] = Field.PointsToNextTier,
        ["balance"] = Field.Balance,
        ["currency"] = Field.Currency,
        ["coupon"] = Field.Coupon,
        ["voucherValue"] = Field.VoucherValue,
        ["validUntil"] = Field.ValidUntil,
        ["bonusPoints"] = Field.BonusPoints,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly Part[] parts;

    private MessageTemplate(Part[] parts) => this.parts = parts;

    /// <summary>
    /// The fields a template may use. <c>balance</c> includes the campaign's own bonus points; <c>coupon</c> needs a
    /// coupon offer, <c>voucherValue</c> and <c>validUntil</c> a voucher offer, <c>bonusPoints</c> a bonus-points offer.
    /// </summary>
    public static IReadOnlyCollection<string> FieldNames => Names.Keys;

    /// <summary>Parses <paramref name="text"/>; every unknown field and every field the offer cannot fill is an error at <paramref name="path"/>.</summary>
    public static Result<MessageTemplate> Parse(string? text, OfferKind offer = OfferKind.None, string path = "text")
    {
        if (string.IsNullOrWhiteSpace(text)) return Result<MessageTemplate>.Fail(ErrorCodes.Required, path, "The message text is required.");
        var errors = new ErrorList();
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}')
            {
                errors.Add(ErrorCodes.TemplateMalformed, path, $"A '}}' at position {i + 1} closes nothing; write '}}}}' for a literal brace.");
                break;
            }
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var close = text.IndexOfAny(['{', '}'], i + 1);
            if (close < 0 || text[close] == '{')
            {
                errors.Add(ErrorCodes.TemplateMalformed, path, $"The '{{' at position {i + 1} is not closed; write '{{{{' for a literal brace.");
                break;
            }
            var (name, fallback) = Split(text[(i + 1)..close]);
            if (!Names.TryGetValue(name, out var field))
                errors.Add(ErrorCodes.TemplateUnknownField, path, UnknownField(name));
            else if (NeededOffer(field) is { } needed && needed != offer)
                errors.Add(ErrorCodes.TemplateFieldNeedsOffer, path,
                    $"{{{name}}} needs a {JsonName(needed)} offer; this campaign's offer is {JsonName(offer)}.");
            if (literal.Length > 0) parts.Add(new Part(literal.ToString(), default, null));
            literal.Clear();
            parts.Add(new Part(null, field, fallback));
            i = close;
        }
        if (errors.Any) return Result<MessageTemplate>.Fail(errors.Items);
        if (literal.Length > 0) parts.Add(new Part(literal.ToString(), default, null));
        return new MessageTemplate([.. parts]);
    }

    /// <summary>The message for one member on <paramref name="on"/>: one string allocated, nothing else.</summary>
    public string Render(MemberFacts member, Offer offer, string currency, DateOnly on)
    {
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[512]);
        Span<char> scratch = stackalloc char[32];
        int written;
        foreach (var part in parts)
        {
            if (part.Literal is { } literal)
            {
                text.AppendLiteral(literal);
                continue;
            }
            switch (part.Field)
            {
                case Field.FirstName:
                    text.AppendLiteral(string.IsNullOrWhiteSpace(member.FirstName) ? part.Fallback ?? "" : member.FirstName);
                    break;
                case Field.Tier:
                    text.AppendLiteral(member.Tier);
                    break;
                case Field.NextTier:
                    text.AppendLiteral(member.NextTier ?? part.Fallback ?? "");
                    break;
                case Field.PointsToNextTier when member.PointsToNextTier is { } left:
                    text.AppendFormatted(Number(left, scratch));
                    break;
                case Field.PointsToNextTier:
                    text.AppendLiteral(part.Fallback ?? "");
                    break;
                case Field.Balance:
                    text.AppendFormatted(Number(member.Balance + (offer.Kind == OfferKind.BonusPoints ? offer.Points ?? 0 : 0), scratch));
                    break;
                case Field.Currency:
                    text.AppendLiteral(currency);
                    break;
                case Field.Coupon:
                    text.AppendLiteral(offer.Code ?? "");
                    break;
                case Field.VoucherValue:
                    // G29 drops trailing zeros (100.50 → 100.5). Formatted here rather than by the handler, whose
                    // AppendFormatted(value, format) boxes a decimal or a date without JIT optimisation.
                    (offer.Value ?? 0m).TryFormat(scratch, out written, "G29", CultureInfo.InvariantCulture);
                    text.AppendFormatted(scratch[..written]);
                    break;
                case Field.ValidUntil:
                    on.AddDays(offer.ValidDays ?? 0).TryFormat(scratch, out written, "O", CultureInfo.InvariantCulture);
                    text.AppendFormatted(scratch[..written]);
                    break;
                case Field.BonusPoints:
                    text.AppendFormatted(Number(offer.Points ?? 0, scratch));
                    break;
            }
        }
        return text.ToStringAndClear();
    }

    /// <summary>
    /// Formatted here rather than by the handler: its generic AppendFormatted boxes the number in code the JIT has not
    /// optimised yet, so the first renders of a run allocated a box per number.
    /// </summary>
    private static ReadOnlySpan<char> Number(long value, Span<char> scratch)
    {
        value.TryFormat(scratch, out var written, provider: CultureInfo.InvariantCulture);
        return scratch[..written];
    }

    private static (string Name, string? Fallback) Split(string inside)
    {
        var bar = inside.IndexOf('|');
        return bar < 0 ? (inside.Trim(), null) : (inside[..bar].Trim(), inside[(bar + 1)..]);
    }

    private static string UnknownField(string name)
    {
        var known = string.Join(", ", Names.Keys.Order(StringComparer.Ordinal).Select(n => $"{{{n}}}"));
        var near = Names.Keys.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return near is null
            ? $"{{{name}}} is not a field; the fields are {known}."
            : $"{{{name}}} is not a field; did you mean {{{near}}}? Field names are case-sensitive.";
    }

    private static OfferKind? NeededOffer(Field field) => field switch
    {
        Field.Coupon => OfferKind.Coupon,
        Field.VoucherValue or Field.ValidUntil => OfferKind.Voucher,
        Field.BonusPoints => OfferKind.BonusPoints,
        _ => null,
    };

    private static string JsonName(OfferKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    private enum Field
    {
        FirstName,
        Tier,
        NextTier,
        PointsToNextTier,
        Balance,
        Currency,
        Coupon,
        VoucherValue,
        ValidUntil,
        BonusPoints,
    }

    private readonly record struct Part(string? Literal, Field Field, string? Fallback);
}
