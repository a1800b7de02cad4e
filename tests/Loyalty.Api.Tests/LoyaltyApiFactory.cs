using System.Net.Http.Json;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>
/// The real local host over real Azurite, with tables of its own so test classes run in parallel. Each test
/// creates its own program (unique id), so tests inside a class do not see each other's members either.
/// </summary>
public class LoyaltyApiFactory : WebApplicationFactory<Program>
{
    private readonly string prefix = UniqueName.Table("api");

    /// <summary>More configuration for a test class that needs it.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:ConnectionString", Azurite.ConnectionString);
        builder.UseSetting("Storage:Prefix", prefix);
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
    }

    /// <summary>A fresh demo-shaped program and a client whose key has <paramref name="scopes"/>.</summary>
    /// <param name="programId">A fixed id, for a program a host setting names; a fresh one by default.</param>
    public async Task<(string ProgramId, HttpClient Client)> NewProgramAsync(Scope scopes = Scope.Pos | Scope.Store, string? programId = null)
    {
        programId ??= "p" + Guid.NewGuid().ToString("N")[..12];
        var programs = Services.GetRequiredService<IProgramService>();
        var created = await programs.CreateAsync(new CreateProgram
        {
            Definition = DemoProgram.Definition(DateTimeOffset.UtcNow.AddYears(-1)) with { ProgramId = programId },
            Name = "Test program",
            Shards = 4,
        }, CancellationToken.None);
        Assert.True(created.IsValid, string.Join("; ", created.Errors));
        return (programId, await ClientForAsync(programId, scopes));
    }

    public async Task<HttpClient> ClientForAsync(string programId, Scope scopes)
    {
        var key = await Services.GetRequiredService<IApiKeyService>().CreateAsync(programId, "test", scopes, CancellationToken.None);
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key.Value.Secret);
        return client;
    }
}

internal static class Json
{
    public static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body);
}
