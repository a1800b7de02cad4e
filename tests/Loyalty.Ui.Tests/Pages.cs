using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace Loyalty.Ui.Tests;

/// <summary>What every page test checks the same way: axe-core's findings and the screenshots docs/ui.md shows.</summary>
public static class Pages
{
    /// <summary>Set to 1 to write the screenshots into docs/ui/ (they always go to the test output folder too).</summary>
    public const string UpdateScreenshotsVariable = "LOYALTY_UPDATE_SCREENSHOTS";

    private static readonly Lazy<string> AxeSource = new(() =>
        File.ReadAllText(Path.Combine(Loyalty.Testing.Repo.Root, "node_modules", "axe-core", "axe.min.js")));

    /// <summary>
    /// Runs axe-core in the page (evaluated, not added as a script tag, which the page's CSP would rightly refuse) and
    /// fails on any serious or critical violation, naming the rule and the elements.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        await page.EvaluateAsync(AxeSource.Value + "\n;undefined");
        var found = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)
            """);
        var violations = found.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(violations.Count == 0, $"axe-core on {page.Url}:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var output = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = output, FullPage = true });
        if (Environment.GetEnvironmentVariable(UpdateScreenshotsVariable) == "1")
            File.Copy(output, Path.Combine(Loyalty.Testing.Repo.Root, "docs", "ui", name + ".png"), overwrite: true);
    }

    /// <summary>Content-Security-Policy reports and script errors the page raised: a page that needs inline script breaks here.</summary>
    public static List<string> WatchForProblems(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("Failed to load resource", StringComparison.Ordinal)) problems.Add(message.Text);
        };
        page.PageError += (_, error) => problems.Add(error);
        page.Dialog += async (_, dialog) =>
        {
            problems.Add($"a {dialog.Type} dialog opened: {dialog.Message}");
            await dialog.DismissAsync();
        };
        return problems;
    }
}
