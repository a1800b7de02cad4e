using System.Globalization;
using Loyalty.Storage.Repositories;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using Loyalty.Hosting;
using Loyalty.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Loyalty.Ui.Tests;

/// <summary>My pages (web/me) on a phone-sized screen: signed in with the code taken off the notifications queue.</summary>
public sealed class MeTests(UiHost host) : IClassFixture<UiHost>
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [BrowserFact]
    public async Task A_member_signs_in_with_a_code_changes_a_consent_and_the_api_has_it()
    {
        var (memberId, email) = await EnrolAsync("Astrid", consentEmail: false);
        var page = await host.NewPageAsync(viewport: Phone);
        var problems = Pages.WatchForProblems(page);
        await SignInAsync(page, email);

        await Expect(page.Locator("#member-name")).ToHaveTextAsync("Astrid");
        var api = await host.IdentifyAsync(new { email });
        await Expect(page.Locator("[data-field=balance]")).ToHaveAttributeAsync("data-value", api["view"]!["balance"]!.ToString());
        await Pages.AssertAccessibleAsync(page);

        var consent = page.Locator("#consents input[name=email]");
        await Expect(consent).Not.ToBeCheckedAsync();
        await consent.CheckAsync();
        await page.Locator("#consents button[type=submit]").ClickAsync();
        await Expect(page.Locator("#member p.success")).ToBeVisibleAsync();
        await Expect(page.Locator("#consents input[name=email]")).ToBeCheckedAsync();
        var after = await host.IdentifyAsync(new { email });
        Assert.True((bool)after["profile"]!["consents"]!["email"]!["granted"]!);
        Assert.Equal("member", (string)after["profile"]!["consents"]!["email"]!["source"]!);
        Assert.Equal(memberId, (string)after["profile"]!["memberId"]!);
        Assert.Empty(problems);
    }

    [BrowserFact]
    public async Task A_receipt_shows_the_points_it_earned_and_the_page_is_the_screenshot_in_the_docs()
    {
        var bought = await host.BuyAsync(new { email = "member1@example.com" }, 2_400m);
        var page = await host.NewPageAsync(viewport: Phone);
        await SignInAsync(page, "member1@example.com");
        await Expect(page.Locator("[data-field=receipts] li").First).ToHaveAttributeAsync("data-points", bought["outcome"]!["pointsEarned"]!.ToString());
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "me");
    }

    [BrowserFact]
    public async Task A_browser_in_swedish_gets_my_pages_in_swedish_with_swedish_numbers()
    {
        var bought = await host.BuyAsync(new { email = "member2@example.com" }, 12_400m);
        var page = await host.NewPageAsync("sv-SE", Phone);
        await page.GotoAsync("/me/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "sv");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mina sidor");
        await Expect(page.Locator("label[for=identifier]")).ToHaveTextAsync("Telefon eller e-post");
        await SignInAsync(page, "member2@example.com");

        var balance = (long)bought["outcome"]!["balance"]!;
        Assert.True(balance >= 1_000, "A balance under 1 000 has no digit grouping to tell Swedish from English.");
        var swedish = balance.ToString("N0", CultureInfo.GetCultureInfo("sv-SE"));
        await Expect(page.Locator("[data-field=balance]")).ToHaveAttributeAsync("data-value", balance.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-field=balance]")).ToContainTextAsync(swedish);
        await Expect(page.Locator("[data-field=balance]")).ToContainTextAsync("poäng");
        await Pages.AssertAccessibleAsync(page);
    }

    [BrowserFact]
    public async Task More_receipts_pages_through_every_receipt_once_and_stops_at_the_last()
    {
        var (_, email) = await EnrolAsync("Greta");
        var bought = new List<string>();
        for (var i = 0; i < 23; i++) bought.Add((string)(await host.BuyAsync(new { email }, 100m + i))["receiptId"]!);
        var page = await host.NewPageAsync(viewport: Phone);
        await SignInAsync(page, email);

        var receipts = page.Locator("[data-field=receipts] li[data-receipt-id]");
        await Expect(receipts).ToHaveCountAsync(20);
        await page.Locator("#more-receipts").ClickAsync();
        await Expect(receipts).ToHaveCountAsync(23);
        await Expect(page.Locator("#more-receipts")).ToBeHiddenAsync();
        var shown = await receipts.EvaluateAllAsync<string[]>("items => items.map(item => item.dataset.receiptId)");
        Assert.Equal(bought.Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        await Pages.AssertAccessibleAsync(page);
    }

    [BrowserFact]
    public async Task A_members_token_shows_that_member_only_and_never_another()
    {
        var (a, emailA) = await EnrolAsync("Anna");
        var (b, _) = await EnrolAsync("Bertil");
        var page = await host.NewPageAsync(viewport: Phone);
        await SignInAsync(page, emailA);
        await Expect(page.Locator("#member-name")).ToHaveTextAsync("Anna");
        await Expect(page.GetByText("Bertil")).ToHaveCountAsync(0);

        var token = await page.EvaluateAsync<string>("() => sessionStorage.getItem('loyalty.me.token')");
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(a, (string)(await client.GetFromJsonAsync<JsonNode>("/api/v1/me"))!["profile"]!["memberId"]!);
        using var other = await client.GetAsync($"/api/v1/members/{b}/export");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain("Bertil", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task A_name_with_markup_is_shown_as_text_and_runs_nothing()
    {
        const string name = "<img src=x onerror=alert(1)>";
        var (_, email) = await EnrolAsync(name);
        var page = await host.NewPageAsync(viewport: Phone);
        var problems = Pages.WatchForProblems(page);
        await SignInAsync(page, email);
        await Expect(page.Locator("#member-name")).ToHaveTextAsync(name);
        await Expect(page.Locator("#member img")).ToHaveCountAsync(0);
        Assert.Empty(problems);
    }

    [BrowserFact]
    public async Task Deleting_the_membership_says_what_is_kept_and_erases_the_member_in_the_api()
    {
        var (_, email) = await EnrolAsync("Cecilia");
        var page = await host.NewPageAsync(viewport: Phone);
        await SignInAsync(page, email);
        await page.Locator("#erase").ClickAsync();
        var dialog = page.Locator("dialog.confirm");
        await Expect(dialog).ToContainTextAsync("Kept: your receipts");
        await Pages.AssertAccessibleAsync(page);
        await dialog.Locator("button").Last.ClickAsync();
        await Expect(page.Locator("#notice .success")).ToBeVisibleAsync();
        await Expect(page.Locator("#identifier")).ToBeVisibleAsync();

        using var store = host.Api(Scope.Store);
        using var gone = await store.PostAsJsonAsync("/api/v1/members/identify", new { email });
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private async Task<(string MemberId, string Email)> EnrolAsync(string firstName, bool consentEmail = true)
    {
        var email = $"me-{Guid.NewGuid():N}@example.com";
        using var client = host.Api(Scope.Store);
        using var answer = await client.PostAsJsonAsync("/api/v1/members", new { firstName, email, consents = new { email = consentEmail, sms = false } });
        answer.EnsureSuccessStatusCode();
        return ((string)(await answer.Content.ReadFromJsonAsync<JsonNode>())!["profile"]!["memberId"]!, email);
    }

    /// <summary>Types the e-mail, takes the code off the notifications queue as the sender would, and types it.</summary>
    private async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/me/");
        await Expect(page.Locator("#identifier")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#code")).ToBeFocusedAsync();
        var codes = await Samples.TakeCodesAsync(host.Services.GetRequiredService<LoyaltyStorage>().NotificationsQueue);
        await page.Keyboard.TypeAsync(Assert.Single(codes, c => c.Destination == email).Code);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#member-name")).ToBeVisibleAsync();
    }
}
