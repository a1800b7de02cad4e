using System.Net;
using Loyalty.Api.Http;

namespace Loyalty.Local.DevMail;

/// <summary>
/// <c>GET /dev/mailbox</c> (a page) and <c>GET /dev/mailbox/messages?take=N</c> (its JSON, also read by
/// <c>loyalty dev mailbox</c>). Mapped only when <see cref="IsEnabled"/>, and even then answered only to callers on this
/// machine: a one-time code in clear is a sign-in for whoever reads it.
/// </summary>
public static class DevMailboxEndpoints
{
    public const string PagePath = "/dev/mailbox";
    public const string MessagesPath = "/dev/mailbox/messages";
    private const int MaxTake = 500;

    /// <summary>
    /// <see cref="DevMailbox.EnabledKey"/> when set; otherwise on in Development, or when every address the host listens
    /// on is a loopback one (as <c>./run</c>'s 127.0.0.1:5080 is), so a host exposed to a network does not get it by default.
    /// </summary>
    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>(DevMailbox.EnabledKey) ?? (environment.IsDevelopment() || ListensOnLoopbackOnly(configuration["urls"]));

    public static bool ListensOnLoopbackOnly(string? urls) =>
        (urls ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .All(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
                        (uri.Host == "localhost" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))));

    public static IEndpointRouteBuilder MapDevMailbox(this IEndpointRouteBuilder app)
    {
        app.MapGet(PagePath, (HttpContext context) => FromHere(context) ? Results.Content(Page, "text/html; charset=utf-8") : Results.NotFound())
            .ExcludeFromDescription();
        app.MapGet(MessagesPath, (HttpContext context, DevMailbox mailbox, int? take) =>
                !FromHere(context) ? Results.NotFound()
                : take is < 1 or > MaxTake ? Problems.Field("take", $"take is 1 to {MaxTake}.")
                : Results.Json(mailbox.Latest(take ?? 50), JsonBody.Options))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>A loopback caller, or none at all: the in-process test server and Unix sockets have no remote address.</summary>
    private static bool FromHere(HttpContext context) =>
        context.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote);

    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Dev mailbox · Loyalty Functions</title>
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
          table { border-collapse: collapse; width: 100%; }
          th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
          td.text { white-space: pre-wrap; font-family: ui-monospace, monospace; }
          .muted { color: #777; }
        </style>
        </head>
        <body>
        <h1>Dev mailbox</h1>
        <p class="muted">The last notifications the local host drained from its notifications queue, newest first, unmasked.
        Local host only; refreshes every 3 s. JSON: <a href="/dev/mailbox/messages">/dev/mailbox/messages</a>.</p>
        <table>
          <thead><tr><th>received</th><th>recipient</th><th>kind</th><th>text</th></tr></thead>
          <tbody id="mails"><tr><td colspan="4" class="muted">loading…</td></tr></tbody>
        </table>
        <script>
          async function refresh() {
            const response = await fetch('/dev/mailbox/messages?take=100');
            const mails = await response.json();
            const rows = mails.map(m => {
              const tr = document.createElement('tr');
              for (const [value, css] of [[new Date(m.receivedAt).toLocaleTimeString(), ''], [m.recipient, ''], [m.kinds.join(', '), ''], [m.text, 'text']]) {
                const td = document.createElement('td');
                td.textContent = value;
                if (css) td.className = css;
                tr.appendChild(td);
              }
              return tr;
            });
            const body = document.getElementById('mails');
            body.replaceChildren(...rows);
            if (rows.length === 0) body.innerHTML = '<tr><td colspan="4" class="muted">nothing yet</td></tr>';
          }
          refresh();
          setInterval(refresh, 3000);
        </script>
        </body>
        </html>
        """;
}
