using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>Display names of programs and API keys: shown to operators, so short and printable.</summary>
internal static class Names
{
    public const int MaxLength = 100;

    public static void Check(ErrorList errors, string? name, string path) => errors.Text(name is null ? null : Texts.Trim(name), path, MaxLength);
}
