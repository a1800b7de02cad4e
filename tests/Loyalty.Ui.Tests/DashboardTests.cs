using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Loyalty.Ui.Tests;

/// <summary>The program dashboard (web/dashboard) in chromium: its figures against the API's, the campaign calendar.</summary>
public sealed class DashboardTests(UiHost host) : IClassFixture<UiHost>
{
    [BrowserFact]
    public async Task Every_campaign_figure_shown_equals_the_apis_and_a_campaign_created_through_the_api_appears_on_the_calendar()
    {
        using var marketing = host.Api(Scope.Marketing);
        var ran = await CreateAsync(marketing, "Welcome back", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(200), run: true);
        var day = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 15).AddMonths(1);
        var coming = await CreateAsync(marketing, "Summer bags", day, run: false);

        var page = await OpenAsync(Scope.Marketing);
        var problems = Pages.WatchForProblems(page);
        await Expect(page.Locator("#campaign-table")).ToBeVisibleAsync();
        foreach (var campaignId in new[] { ran, coming })
        {
            var statistics = (await marketing.GetFromJsonAsync<JsonNode>($"/api/v1/campaigns/{campaignId}/statistics"))!["statistics"]!;
            var row = page.Locator($"#campaign-table tr[data-campaign-id='{campaignId}']");
            foreach (var (field, name) in new[] { ("reach", "reach"), ("email", "email"), ("sms", "sms"), ("push", "push"), ("redemptions", "redemptions"), ("attributed-revenue", "attributedRevenue") })
                await Expect(row.Locator($"[data-field={field}]")).ToHaveAttributeAsync("data-value", statistics[name]!.ToString());
            if (campaignId == ran)
            {
                Assert.True((long)statistics["reach"]! > 0, "The campaign run reached nobody; the comparison would prove little.");
                await Expect(row.Locator("[data-field=reach]")).ToHaveTextAsync(((long)statistics["reach"]!).ToString("N0", CultureInfo.GetCultureInfo("en-GB")));
            }
        }

        await page.Locator("#next-month").ClickAsync();
        await Expect(page.Locator("table[data-month]")).ToHaveAttributeAsync("data-month", day.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        await Expect(page.Locator($"td[data-date='{day:yyyy-MM-dd}'] [data-campaign-id='{coming}']")).ToHaveTextAsync("Summer bags");
        await Pages.ScreenshotAsync(page, "dashboard");
        await Pages.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [BrowserFact]
    public async Task A_till_key_is_told_it_may_not_read_the_program()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        await page.Locator("#key").FillAsync(host.Keys[Scope.Pos]);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#notice")).ToContainTextAsync("may not read the program");
        await Expect(page.Locator("#key")).ToBeFocusedAsync();
    }

    [BrowserFact]
    public async Task A_failed_request_shows_a_message_and_a_retry_that_loads_the_figures()
    {
        var page = await host.NewPageAsync();
        await page.RouteAsync("**/api/v1/campaigns", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 503,
            ContentType = "application/problem+json",
            Body = """{"type":"urn:loyalty-functions:problem:busy","title":"Busy","status":503}""",
        }));
        await page.GotoAsync("/dashboard/");
        await page.Locator("#key").FillAsync(host.Keys[Scope.Admin]);
        await page.Keyboard.PressAsync("Enter");
        var failure = page.Locator("#campaigns .failure");
        await Expect(failure).ToContainTextAsync("went wrong on the server");
        await page.UnrouteAllAsync();
        await failure.Locator("button").ClickAsync();
        await Expect(page.Locator("#campaigns .failure")).ToHaveCountAsync(0);
        await Expect(page.Locator("#campaigns")).Not.ToBeEmptyAsync();
    }

    private async Task<IPage> OpenAsync(Scope scope)
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        await page.Locator("#key").FillAsync(host.Keys[scope]);
        await page.Keyboard.PressAsync("Enter");
        return page;
    }

    /// <summary>A scheduled once-campaign on <paramref name="on"/>; with <paramref name="run"/> it is run now, and waited for.</summary>
    private static async Task<string> CreateAsync(HttpClient marketing, string name, DateOnly on, bool run)
    {
        var campaignId = "ui-" + Guid.NewGuid().ToString("N")[..10];
        (await marketing.PostAsJsonAsync("/api/v1/campaigns", new
        {
            campaignId,
            name,
            segment = new { },
            offer = new { kind = "none" },
            message = new { channel = "email", text = "Hi {firstName}" },
            schedule = new { kind = "once", date = on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), time = "10:00:00" },
        })).EnsureSuccessStatusCode();
        (await marketing.PostAsync($"/api/v1/campaigns/{campaignId}/schedule", null)).EnsureSuccessStatusCode();
        if (!run) return campaignId;
        (await marketing.PostAsync($"/api/v1/campaigns/{campaignId}/run", null)).EnsureSuccessStatusCode();
        for (var waited = 0; waited < 120; waited++)
        {
            var view = await marketing.GetFromJsonAsync<JsonNode>($"/api/v1/campaigns/{campaignId}");
            if ((string?)view!["campaign"]!["status"] == "completed") return campaignId;
            await Task.Delay(500);
        }
        throw new TimeoutException($"Campaign {campaignId} did not complete in a minute.");
    }
}
