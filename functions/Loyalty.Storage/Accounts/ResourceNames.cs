namespace Loyalty.Storage.Accounts;

/// <summary>Name rules checked locally, so a typo fails with a clear message instead of a bare 400.</summary>
internal static class ResourceNames
{
    public static string Table(string name) =>
        name is { Length: >= 3 and <= 63 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit)
            ? name
            : throw new ArgumentException($"'{name}' is not a valid table name: 3-63 letters and digits, starting with a letter.", nameof(name));

    /// <summary>Queues and containers: 3-63 lower-case letters, digits and single hyphens, starting and ending alphanumeric.</summary>
    public static string QueueOrContainer(string name, string kind) =>
        name is { Length: >= 3 and <= 63 }
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && name[0] != '-' && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal)
            ? name
            : throw new ArgumentException($"'{name}' is not a valid {kind} name: 3-63 lower-case letters, digits and single hyphens, starting and " +
                "ending with a letter or digit.", nameof(name));
}
