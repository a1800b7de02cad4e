using System.CommandLine;
using System.Text.Json;
using static Loyalty.Cli.Failure;

namespace Loyalty.Cli;

/// <summary>
/// <c>loyalty dev mailbox</c>: the local host's dev mailbox (the last notifications, one-time codes and links in clear),
/// read from its <c>/dev/mailbox/messages</c>, which answers only on the same machine. There is none in Azure.
/// </summary>
internal static class DevCommands
{
    public static Command Create()
    {
        var url = new Option<Uri>("--url") { Description = "The local host.", DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080") };
        var take = new Option<int>("--take") { Description = "How many of the latest notifications (1-500).", DefaultValueFactory = _ => 20 };
        var mailbox = new Command("mailbox", "Show the latest notifications the local host drained, newest first, unmasked.") { url, take };
        mailbox.SetAction(async (parse, ct) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var address = new Uri(parse.GetValue(url)!, $"/dev/mailbox/messages?take={parse.GetValue(take)}");
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync(address, ct);
            }
            catch (HttpRequestException e)
            {
                return Fail($"Cannot reach the local host at {address} ({e.Message}); is ./run up?");
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                    return Fail(response.StatusCode == System.Net.HttpStatusCode.NotFound
                        ? $"{address} answered 404: the dev mailbox is off on that host, or it is not on this machine (docs/operations.md)."
                        : $"{address} answered {(int)response.StatusCode}: {body}");
                using var mails = JsonDocument.Parse(body);
                foreach (var mail in mails.RootElement.EnumerateArray())
                {
                    Console.WriteLine($"{mail.GetProperty("receivedAt").GetDateTimeOffset().ToLocalTime():HH:mm:ss}  {mail.GetProperty("recipient")}  " +
                                      string.Join(", ", mail.GetProperty("kinds").EnumerateArray().Select(k => k.GetString())));
                    foreach (var line in mail.GetProperty("text").GetString()!.Split('\n'))
                        Console.WriteLine($"    {line}");
                }
                if (mails.RootElement.GetArrayLength() == 0) Console.WriteLine("(no notifications yet)");
            }
            return 0;
        });
        return new Command("dev", "Local development aids (the local host only).") { mailbox };
    }
}
