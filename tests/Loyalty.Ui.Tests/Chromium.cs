using Xunit;

namespace Loyalty.Ui.Tests;

/// <summary>
/// The browser the tests drive: Debian's chromium (Playwright's own download cannot be reached from the build
/// machines). <c>LOYALTY_CHROMIUM</c> names another executable. Where none is found the browser tests are skipped with
/// how to install one, unless <c>LOYALTY_BROWSER_TESTS=required</c> (CI sets it): then they fail.
/// </summary>
public static class Chromium
{
    public const string PathVariable = "LOYALTY_CHROMIUM";
    public const string RequiredVariable = "LOYALTY_BROWSER_TESTS";

    public static string? Executable { get; } = Find();

    public static bool Required => Environment.GetEnvironmentVariable(RequiredVariable) == "required";

    public const string HowToInstall =
        "No Chromium found: the browser tests are skipped. Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), " +
        "or set LOYALTY_CHROMIUM to a Chromium or Chrome executable.";

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } named) return named;
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }
}

/// <summary>A test that needs the browser: skipped without one (saying how to install it), failing without one in CI.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Executable is null && !Chromium.Required) Skip = Chromium.HowToInstall;
    }
}
