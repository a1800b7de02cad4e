using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;

namespace Loyalty.Local;

/// <summary>Runs <see cref="DemoData"/> with progress on the console and prints what a newcomer needs to try the API.</summary>
internal static class DemoSeeding
{
    public static async Task<IReadOnlyList<IssuedApiKey>> RunAsync(IServiceProvider services, int members, CancellationToken cancellationToken)
    {
        var demo = services.GetRequiredService<DemoData>();
        var last = 0;
        var progress = new Progress<int>(done =>
        {
            if (done == members || done - Volatile.Read(ref last) >= 500)
            {
                Volatile.Write(ref last, done);
                Console.WriteLine($"demo: {done:N0}/{members:N0} members enrolled");
            }
        });
        Console.WriteLine($"demo: seeding program '{DemoProgram.Id}' with {members:N0} members (skipped if it exists)…");
        return await demo.SeedAsync(members, progress, cancellationToken).ConfigureAwait(false);
    }

    public static void PrintWelcome(ICollection<string> urls, IReadOnlyList<IssuedApiKey> keys)
    {
        var url = urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) ?? urls.FirstOrDefault() ?? "http://localhost:5080";
        var pos = keys.First(k => k.Name == "demo-pos").Secret;
        Console.WriteLine();
        Console.WriteLine($"Loyalty Functions is running at {url}");
        Console.WriteLine($"  OpenAPI:  {url}/openapi/v1.json");
        Console.WriteLine($"  Health:   {url}/api/v1/health");
        Console.WriteLine("API keys for the demo program (shown once; new ones are issued on every start with --seed-demo):");
        foreach (var key in keys)
            Console.WriteLine($"  {key.Name,-15} {key.Secret}");
        Console.WriteLine();
        Console.WriteLine("Identify a demo member at the till:");
        Console.WriteLine($"  curl -s -X POST {url}/api/v1/members/identify -H 'X-Api-Key: {pos}' -H 'Content-Type: application/json' -d '{{\"phone\":\"070-000 00 01\"}}'");
        Console.WriteLine();
    }
}
