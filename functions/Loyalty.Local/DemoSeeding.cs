using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Hosting;
using Loyalty.Local.DevMail;
using Loyalty.Local.Ui;
using Loyalty.Local.Workers;

namespace Loyalty.Local;

/// <summary>Runs <see cref="DemoData"/> with progress on the console and prints what a newcomer needs to try the API.</summary>
internal static class DemoSeeding
{
    /// <summary>
    /// Where the demo keys' secrets are kept between runs (<c>./run</c> puts it in the git-ignored <c>.azurite/</c>, next
    /// to the data they unlock). Only the hash is stored in the ApiKeys table, so reusing a key needs its secret from here;
    /// without the file every start issues new keys and revokes the previous ones.
    /// </summary>
    public const string KeysFileKey = "Demo:KeysFile";

    public static async Task<IReadOnlyList<IssuedApiKey>> RunAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var members = configuration.GetValue("Demo:Members", 3_000);
        var file = configuration[KeysFileKey] is { Length: > 0 } path ? path : null;
        var demo = services.GetRequiredService<DemoData>();
        Console.WriteLine($"demo: seeding program '{DemoProgram.Id}' with {members:N0} members (skipped once complete)…");
        var remembered = file is not null && File.Exists(file) ? await File.ReadAllLinesAsync(file, cancellationToken) : [];
        var keys = await demo.SeedAsync(members, remembered, new DemoSeedConsole("demo: "), cancellationToken);
        if (file is not null)
            await RememberAsync(file, keys, cancellationToken);
        return keys;
    }

    private static async Task RememberAsync(string path, IReadOnlyList<IssuedApiKey> keys, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        foreach (var key in keys)
            await writer.WriteLineAsync(key.Secret.AsMemory(), cancellationToken);
    }

    /// <summary>
    /// Printed last, once the notifications that seeding queued (a welcome voucher per member) have been drained and
    /// summarised, so the keys and the curl are what stays on screen.
    /// </summary>
    public static async Task PrintWelcomeAsync(WebApplication app, IReadOnlyList<IssuedApiKey> keys, bool devMailbox)
    {
        if (app.Services.GetService<NotificationLogWorker>() is { } notifications)
        {
            await Task.WhenAny(notifications.Idle, Task.Delay(TimeSpan.FromMinutes(2), app.Lifetime.ApplicationStopping));
            // The console logger writes on its own thread; give the summary line a moment to land before the welcome.
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        if (app.Lifetime.ApplicationStopping.IsCancellationRequested) return;

        var urls = app.Urls;
        var url = urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) ?? urls.FirstOrDefault() ?? "http://localhost:5080";
        var pos = keys.First(k => k.Name == "demo-pos").Secret;
        Console.WriteLine();
        Console.WriteLine($"Loyalty Functions is running at {url}");
        Console.WriteLine($"  OpenAPI:  {url}/openapi/v1.json");
        Console.WriteLine($"  Health:   {url}/api/v1/health");
        if (app.Services.GetService<WebPagesServed>() is not null)
        {
            Console.WriteLine($"  Till:       {url}/till/       (enter the demo-store key below once per browser session)");
            Console.WriteLine($"  My pages:   {url}/me/         (sign in with a one-time code to 070-000 00 01 or " +
                "member1@example.com; the code is in the mailbox)");
            Console.WriteLine($"  Dashboard:  {url}/dashboard/  (the demo-marketing or demo-admin key)");
        }
        if (devMailbox)
            Console.WriteLine($"  Mailbox:  {url}{DevMailboxEndpoints.PagePath}  (one-time codes and magic links in clear; or: loyalty dev mailbox)");
        Console.WriteLine(File.Exists(app.Configuration[KeysFileKey] ?? "")
            ? $"API keys for the demo program (kept in {app.Configuration[KeysFileKey]} and reused on the next start; older demo keys are revoked):"
            : "API keys for the demo program (new ones on every start; the previous ones are revoked):");
        foreach (var key in keys)
            Console.WriteLine($"  {key.Name,-15} {key.Secret}");
        Console.WriteLine();
        Console.WriteLine("Identify a demo member at the till:");
        Console.WriteLine($"  curl -s -X POST {url}/api/v1/members/identify -H 'X-Api-Key: {pos}' -H 'Content-Type: application/json' -d " +
            $"'{{\"phone\":\"070-000 00 01\"}}'");
        Console.WriteLine();
    }
}
