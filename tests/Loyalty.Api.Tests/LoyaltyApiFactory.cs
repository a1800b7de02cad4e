using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Ports;
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
        var program = await Services.ProgramAsync(programId);
        var key = await Services.GetRequiredService<IApiKeyService>().CreateAsync(program, "test", scopes, CancellationToken.None);
        return ClientWith(key.Value.Secret);
    }

    /// <summary>A client whose key names a program that does not exist (a key left behind), stored directly: the service would refuse it.</summary>
    public async Task<(string ProgramId, HttpClient Client)> OrphanKeyAsync(Scope scopes)
    {
        var programId = "gone" + Guid.NewGuid().ToString("N")[..8];
        var key = ApiKeySecret.Generate();
        await Services.GetRequiredService<IApiKeyStore>().InsertAsync(
            new ApiKeyRecord(key.KeyId, programId, "orphan", scopes, key.Hash(), DateTimeOffset.UtcNow, null), CancellationToken.None);
        return (programId, ClientWith(key.Value));
    }

    /// <summary>The answer to a request in a program that does not exist, as the edge gives it.</summary>
    public static async Task AssertProgramNotFoundAsync(HttpResponseMessage answer, string programId)
    {
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        var problem = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal(Http.Problems.NotFoundType, (string?)problem["type"]);
        Assert.Equal($"There is no program '{programId}'.", (string?)problem["detail"]);
    }

    private HttpClient ClientWith(string secret)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        return client;
    }
}

internal static class Json
{
    public static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body);
}
