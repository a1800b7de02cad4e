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
            foreach (var (field, name) in new[] { ("reach", "reach"), ("email", "email"), ("sms", "sms"), ("push", "push"), ("redemptions", "redemptions"),
                ("attributed-revenue", "attributedRevenue") })
                await Expect(row.Locator($"[data-field={field}]")).ToHaveAttributeAsync("data-value", statistics[name]!.ToString());
            if (campaignId == ran)
            {
                Assert.True((long)statistics["reach"]! > 0, "The campaign run reached nobody; the comparison would prove little.");
                await Expect(row.Locator("[data-field=reach]"))
                    .ToHaveTextAsync(((long)statistics["reach"]!).ToString("N0", CultureInfo.GetCultureInfo("en-GB")));
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
    public async Task Every_program_figure_shown_equals_the_apis_after_two_nights_with_a_purchase_between()
    {
        using var admin = host.Api(Scope.Admin);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await RunNightAsync(admin, today.AddDays(-3));
        var points = 0L;
        for (var i = 1; i <= 3; i++)
        {
            var memberId = (string)(await host.IdentifyAsync(new { phone = $"070-000 00 0{i}" }))["profile"]!["memberId"]!;
            points += (long)(await host.BuyAsync(new { memberId }, 1_500m * i))["outcome"]!["pointsEarned"]!;
        }
        await RunNightAsync(admin, today.AddDays(-2));

        var page = await OpenAsync(Scope.Marketing);
        var problems = Pages.WatchForProblems(page);
        await Expect(page.Locator("#tier-table")).ToBeVisibleAsync();
        using var marketing = host.Api(Scope.Marketing);
        var figures = (await marketing.GetFromJsonAsync<JsonNode>("/api/v1/program/figures"))!;
        var tiers = figures["tiers"]!.AsArray();
        Assert.Equal(UiHost.DemoMembers, tiers.Sum(tier => (long)tier!["members"]!));
        await Expect(page.Locator("#tier-table tbody tr")).ToHaveCountAsync(tiers.Count);
        foreach (var tier in tiers)
            await Expect(page.Locator($"#tier-table tr[data-tier='{(string)tier!["tier"]!}'] [data-field=members]"))
                .ToHaveAttributeAsync("data-value", tier["members"]!.ToString());
        await Expect(page.Locator("[data-field=as-of]")).ToHaveAttributeAsync("data-value", (string)figures["asOf"]!);
        foreach (var (field, value) in new[]
        {
            ("outstanding-points", figures["liability"]!["points"]), ("liability-value", figures["liability"]!["value"]),
            ("points-owed", figures["liability"]!["debt"]), ("vouchers-open", figures["vouchers"]!["open"]),
            ("vouchers-issued", figures["vouchers"]!["issued"]), ("vouchers-redeemed", figures["vouchers"]!["redeemed"]),
        })
        {
            // JSON writes a decimal as 450.00, the page's number as 450: the same amount.
            var shown = await page.Locator($"#figures [data-field={field}]").GetAttributeAsync("data-value");
            Assert.Equal((decimal)value!, decimal.Parse(shown!, CultureInfo.InvariantCulture));
        }

        var nights = figures["nights"]!.AsArray();
        var counted = nights.Single(night => (string)night!["night"]! == today.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))!;
        Assert.Equal(3, (long)counted["receipts"]!);
        Assert.Equal(points, (long)counted["pointsEarned"]!);
        await Expect(page.Locator("#night-table tbody tr")).ToHaveCountAsync(nights.Count);
        foreach (var night in nights)
        {
            var row = page.Locator($"#night-table tr[data-night='{(string)night!["night"]!}']");
            foreach (var field in new[] { "enrolments", "receipts", "pointsEarned", "upgrades", "downgrades", "vouchersIssued", "vouchersRedeemed" })
                await Expect(row.Locator($"[data-field={field}]")).ToHaveAttributeAsync("data-value", night[field]!.ToString());
        }
        await Expect(page.Locator($"#night-table tr[data-night='{(string)counted["night"]!}'] [data-field=pointsEarned]"))
            .ToHaveTextAsync(points.ToString("N0", CultureInfo.GetCultureInfo("en-GB")));
        await page.Locator("#figures").ScrollIntoViewIfNeededAsync();
        await Pages.ScreenshotAsync(page, "dashboard-figures");
        await Pages.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [BrowserFact]
    public async Task A_failed_figures_request_shows_a_message_and_a_retry_that_loads_them()
    {
        var page = await FailOnceAsync("**/api/v1/program/figures", "#figures", Scope.Marketing);
        await Expect(page.Locator("#figures [data-field=as-of]")).ToBeVisibleAsync();
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
        var page = await FailOnceAsync("**/api/v1/campaigns", "#campaigns", Scope.Admin);
        await Expect(page.Locator("#campaigns")).Not.ToBeEmptyAsync();
    }

    /// <summary>
    /// Opens the dashboard with <paramref name="url"/> answering 503, checks the message in <paramref name="section"/>, and
    /// retries with the API back.
    /// </summary>
    private async Task<IPage> FailOnceAsync(string url, string section, Scope scope)
    {
        var page = await host.NewPageAsync();
        await page.RouteAsync(url, route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 503,
            ContentType = "application/problem+json",
            Body = """{"type":"urn:loyalty-functions:problem:busy","title":"Busy","status":503}""",
        }));
        await page.GotoAsync("/dashboard/");
        await page.Locator("#key").FillAsync(host.Keys[scope]);
        await page.Keyboard.PressAsync("Enter");
        var failure = page.Locator($"{section} .failure");
        await Expect(failure).ToContainTextAsync("went wrong on the server");
        await page.UnrouteAllAsync();
        await failure.Locator("button").ClickAsync();
        await Expect(page.Locator($"{section} .failure")).ToHaveCountAsync(0);
        return page;
    }

    /// <summary>Runs the nightly review of <paramref name="night"/> through the API and waits until every shard has finished.</summary>
    private static async Task RunNightAsync(HttpClient admin, DateOnly night)
    {
        var date = night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (await admin.PostAsync($"/api/v1/nightly-reviews/{date}/run", null)).EnsureSuccessStatusCode();
        for (var waited = 0; waited < 120; waited++)
        {
            if ((bool)(await admin.GetFromJsonAsync<JsonNode>($"/api/v1/nightly-reviews/{date}"))!["complete"]!) return;
            await Task.Delay(500);
        }
        throw new TimeoutException($"The nightly review of {date} did not complete in a minute.");
    }

    private async Task<IPage> OpenAsync(Scope scope)
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        await page.Locator("#key").FillAsync(host.Keys[scope]);
        await page.Keyboard.PressAsync("Enter");
        return page;
    }

    /// <summary>
    /// A scheduled once-campaign on <paramref name="on"/> (giving nothing unless <paramref name="offer"/> says); with
    /// <paramref name="run"/> it is run now, and waited for.
    /// </summary>
    internal static async Task<string> CreateAsync(HttpClient marketing, string name, DateOnly on, bool run, object? offer = null)
    {
        var campaignId = "ui-" + Guid.NewGuid().ToString("N")[..10];
        (await marketing.PostAsJsonAsync("/api/v1/campaigns", new
        {
            campaignId,
            name,
            segment = new { },
            offer = offer ?? new { kind = "none" },
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
