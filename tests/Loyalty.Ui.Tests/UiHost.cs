using Loyalty.Core.Application.Demo;
using System.Net.Http.Json;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Hosting;
using Loyalty.Local.Workers;
using Loyalty.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Loyalty.Ui.Tests;

/// <summary>
/// The local host on a real port (Kestrel, so a browser can reach it) over real Azurite with tables and queues of its
/// own, seeded with the demo program as <c>./run</c> seeds it, and one chromium for the test class. The notification log
/// worker is off so a test can take the one-time codes off the notifications queue, as the e-mail/SMS sender would.
/// </summary>
public sealed class UiHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int DemoMembers = 60;
    public const string OtherOrigin = "https://pages.example.com";

    private readonly string prefix = UniqueName.Table("ui");
    private IPlaywright? playwright;
    private IBrowser? browser;

    public Uri BaseUrl { get; private set; } = null!;
    public IReadOnlyDictionary<Scope, string> Keys { get; private set; } = new Dictionary<Scope, string>();

    public UiHost() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:ConnectionString", Azurite.ConnectionString);
        builder.UseSetting("Storage:Prefix", prefix);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting(NotificationLogWorker.EnabledKey, "false");
        builder.UseSetting(JobWorkerSettings.Campaigns.EnabledKey, "false");
        builder.UseSetting(JobWorkerSettings.Nightly.EnabledKey, "false");
        builder.UseSetting("MemberTokens:SigningKey", "ui-tests-signing-key-0123456789abcdef");
        builder.UseSetting("MemberAuth:PagesProgramId", Loyalty.Core.Application.Demo.DemoProgram.Id);
        builder.UseSetting("Cors:AllowedOrigins:0", OtherOrigin);
    }

    public async Task InitializeAsync()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        var keys = await Services.GetRequiredService<DemoData>().SeedAsync(DemoMembers, [], null, CancellationToken.None);
        Keys = keys.ToDictionary(k => k.Scopes, k => k.Secret);
        if (Chromium.Executable is null) return;
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Executable,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (own session storage and cookies) in the language <paramref name="locale"/>.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-GB", ViewportSize? viewport = null)
    {
        Assert.True(browser is not null, Chromium.HowToInstall);
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(),
            Locale = locale,
            ViewportSize = viewport ?? new ViewportSize { Width = 1200, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>An HTTP client with the demo key of <paramref name="scope"/>, to read what the API says.</summary>
    public HttpClient Api(Scope scope)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Add("X-Api-Key", Keys[scope]);
        return client;
    }

    public async Task<System.Text.Json.Nodes.JsonNode> IdentifyAsync(object identifier)
    {
        using var client = Api(Scope.Store);
        using var answer = await client.PostAsJsonAsync("/api/v1/members/identify", identifier);
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!;
    }

    /// <summary>A purchase through the till's key; the answer is the receipt's result (its outcome: the points it earned).</summary>
    public async Task<System.Text.Json.Nodes.JsonNode> BuyAsync(object member, decimal amount)
    {
        using var pos = Api(Scope.Pos);
        using var answer = await pos.PostAsJsonAsync("/api/v1/receipts", Samples.Receipt($"ui-{Guid.NewGuid():N}", member, amount));
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!;
    }

        public new async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
    }
}
