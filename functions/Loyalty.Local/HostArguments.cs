namespace Loyalty.Local;

/// <summary>
/// The local host's own switches, taken out before the rest reaches ASP.NET Core's configuration: its command-line
/// provider reads <c>--name value</c> pairs, so a bare <c>--seed-demo</c> would take the next argument as its value.
/// </summary>
public static class HostArguments
{
    public const string SeedDemo = "--seed-demo";

    public static (bool SeedDemo, string[] Configuration) Split(string[] args) =>
        (args.Contains(SeedDemo, StringComparer.Ordinal), [.. args.Where(a => a != SeedDemo)]);
}
