using Loyalty.Core.Application.Identities;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>
/// Reads contact fields the same way for enrolment and updates. Each returns null when the field was not given,
/// an empty string when it was given blank (an update clears it), else the normalised value; mistakes go to the error list.
/// </summary>
internal static class ContactFields
{
    private const int MaxNameLength = 100;

    public static string? Name(ErrorList errors, string? value, string path)
    {
        if (value is null) return null;
        // Only "" clears a name: text that shows nothing, or carries a control character, is a client's mistake.
        var trimmed = Texts.Trim(value);
        if (trimmed.Length > MaxNameLength || !Texts.IsPrintable(value) || value.Length > 0 && trimmed.Length == 0)
            errors.Add(ErrorCodes.OutOfRange, path, $"{path} must be at most {MaxNameLength} characters without control characters, and not only " +
                "invisible ones (\"\" clears it).");
        return trimmed;
    }

    public static string? Email(ErrorList errors, string? value)
    {
        if (value is null) return null;
        if (value.Length == 0) return "";
        if (EmailAddresses.TryNormalize(value, out var email)) return email;
        errors.Add(ApplicationErrors.InvalidEmail, "email", "This is not an e-mail address.");
        return null;
    }

    public static string? Phone(ErrorList errors, string? value, string defaultCountry)
    {
        if (value is null) return null;
        if (value.Length == 0) return "";
        if (Phones.TryNormalize(value, defaultCountry, out var phone)) return phone;
        errors.Add(ApplicationErrors.InvalidPhone, "phone", $"This is not a valid phone number (numbers without a country code are read as {defaultCountry}).");
        return null;
    }

    public static void BirthDate(ErrorList errors, DateOnly? value, DateOnly today)
    {
        if (value is { } date && (date > today || date.Year < 1900))
            errors.Add(ErrorCodes.OutOfRange, "birthDate", "The birth date must be in the past and after 1900.");
    }

    public const int MaxInterests = 20;
    private const int MaxInterestLength = 40;

    /// <summary>Tags are matched exactly by segments, so they are normalised here: trimmed, lower-case, distinct, sorted.</summary>
    public static IReadOnlyList<string>? Interests(ErrorList errors, IReadOnlyList<string>? values)
    {
        if (values is null) return null;
        var tags = values.Select(v => (v ?? "").Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (tags.Count > MaxInterests)
            errors.Add(ErrorCodes.OutOfRange, "interests", $"A member has at most {MaxInterests} interests.");
        foreach (var tag in tags.Where(t => t.Length is 0 or > MaxInterestLength || !t.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')))
            errors.Add(ErrorCodes.OutOfRange, "interests", $"Interest '{tag}' must be 1–{MaxInterestLength} letters a–z, digits or dashes.");
        return tags;
    }

    /// <summary>A consent records when it last changed; re-sending the same answer keeps the original time and source.</summary>
    public static IReadOnlyDictionary<ConsentChannel, Consent> Consents(
        IReadOnlyDictionary<ConsentChannel, Consent> current, IReadOnlyDictionary<ConsentChannel, bool>? requested, DateTimeOffset now, string source)
    {
        if (requested is null) return current;
        var merged = new Dictionary<ConsentChannel, Consent>(current);
        foreach (var (channel, granted) in requested)
            if (!merged.TryGetValue(channel, out var had) || had.Granted != granted)
                merged[channel] = new Consent(granted, now, source);
        return merged;
    }
}
