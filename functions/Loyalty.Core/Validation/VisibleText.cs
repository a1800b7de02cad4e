using System.Globalization;

namespace Loyalty.Core.Validation;

/// <summary>
/// Text that shows nothing: whitespace and invisible format characters (zero-width spaces and joiners, word joiners,
/// byte-order marks). A name or a reason made only of these says nothing, yet it is not empty to a length check.
/// </summary>
internal static class VisibleText
{
    public static bool IsBlank(string? value) =>
        value is null || value.All(c => char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format);
}
