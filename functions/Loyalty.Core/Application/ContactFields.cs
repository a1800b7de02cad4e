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
        var trimmed = value.Trim();
        if (trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl))
            errors.Add(ErrorCodes.OutOfRange, path, $"{path} must be at most {MaxNameLength} characters without control characters.");
        return trimmed;
    }

    public static string? Email(ErrorList errors, string? value)
    {
        if (value is null) return null;
        if (string.IsNullOrWhiteSpace(value)) return "";
        if (EmailAddresses.TryNormalize(value, out var email)) return email;
        errors.Add(ApplicationErrors.InvalidEmail, "email", "This is not an e-mail address.");
        return null;
    }

    public static string? Phone(ErrorList errors, string? value, string defaultCountry)
    {
        if (value is null) return null;
        if (string.IsNullOrWhiteSpace(value)) return "";
        if (Phones.TryNormalize(value, defaultCountry, out var phone)) return phone;
        errors.Add(ApplicationErrors.InvalidPhone, "phone", $"This is not a valid phone number (numbers without a country code are read as {defaultCountry}).");
        return null;
    }

    public static void BirthDate(ErrorList errors, DateOnly? value, DateOnly today)
    {
        if (value is { } date && (date > today || date.Year < 1900))
            errors.Add(ErrorCodes.OutOfRange, "birthDate", "The birth date must be in the past and after 1900.");
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
