using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>Display names of programs and API keys: shown to operators, so short and printable.</summary>
internal static class Names
{
    public const int MaxLength = 100;

    public static void Check(ErrorList errors, string? name, string path)
    {
        if (string.IsNullOrWhiteSpace(name)) errors.Add(ErrorCodes.Required, path, $"{path} is required.");
        else if (name.Trim().Length > MaxLength || name.Any(char.IsControl))
            errors.Add(ErrorCodes.OutOfRange, path, $"{path} has at most {MaxLength} characters and no control characters.");
    }
}
