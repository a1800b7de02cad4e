using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Loyalty.Local.DevMail;
using Xunit;

namespace Loyalty.Api.Tests;

public sealed class DevMailboxFactory : LoyaltyApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["MemberAuth:LinkBaseUrl"] = "https://shop.example.com/login",
    };
}

public sealed class DevMailboxOffFactory : LoyaltyApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { [DevMailbox.EnabledKey] = "false" };
}

/// <summary>The local host's dev mailbox, end to end: a code sent to a member shows up in clear and signs the member in.</summary>
public sealed class DevMailboxTests(DevMailboxFactory factory) : IClassFixture<DevMailboxFactory>
{
    [Fact]
    public async Task A_one_time_code_shows_in_the_mailbox_in_clear_and_works()
    {
        var (_, staff) = await factory.NewProgramAsync();
        var email = $"mailbox-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await staff.PostAsJsonAsync("/api/v1/members", new { firstName = "Ada", email })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await staff.PostAsJsonAsync("/api/v1/member-auth/codes", new { email })).StatusCode);

        var mail = await MailToAsync(factory.CreateClient(), $"email:{email}");
        Assert.Equal(["member.code"], mail["kinds"]!.AsArray().Select(k => (string)k!));
        var text = (string)mail["text"]!;
        var code = Regex.Match(text, @"code is (\d{6})").Groups[1].Value;
        Assert.Matches(@"https://shop\.example\.com/login\?token=\S+", text);

        var token = await staff.PostAsJsonAsync("/api/v1/member-auth/tokens", new { email, code });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);

        var page = await factory.CreateClient().GetAsync("/dev/mailbox");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/dev/mailbox/messages", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.CreateClient().GetAsync("/dev/mailbox/messages?take=0")).StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080;http://[::1]:5081", true)]
    [InlineData(null, true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://127.0.0.1:5080;http://192.168.1.20:5080", false)]
    public void Without_a_setting_it_is_on_only_when_the_host_listens_on_loopback(string? urls, bool on) =>
        Assert.Equal(on, DevMailboxEndpoints.ListensOnLoopbackOnly(urls));

    /// <summary>The newest mail to <paramref name="recipient"/>: the log worker drains the queue within a second or so.</summary>
    private static async Task<JsonNode> MailToAsync(HttpClient client, string recipient)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var mails = JsonNode.Parse(await client.GetStringAsync("/dev/mailbox/messages?take=500"))!.AsArray();
            if (mails.FirstOrDefault(m => (string)m!["recipient"]! == recipient) is { } mail) return mail;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No mail to {recipient} within 10 s.");
    }
}

public sealed class DevMailboxOffTests(DevMailboxOffFactory factory) : IClassFixture<DevMailboxOffFactory>
{
    [Fact]
    public async Task Turned_off_it_is_not_there()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync("/dev/mailbox")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync("/dev/mailbox/messages")).StatusCode);
    }
}
