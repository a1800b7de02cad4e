using Xunit;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Validation;

namespace Loyalty.Storage.Tests.Repositories;

public class ProgramAndApiKeyTests : LoyaltyStorageTest
{
    [Fact]
    public async Task A_program_is_created_then_published_version_by_version()
    {
        var created = Ok(await Services.Programs.CreateAsync(new CreateProgram { Definition = Definition("zoo"), Name = "Zoo Club", DefaultCountry = "NO", Shards = 16 }, default));
        Assert.Equal(("zoo", "Zoo Club", "NO", 16), (created.ProgramId, created.Name, created.DefaultCountry, created.Shards));
        Assert.Equal([1], created.Versions);

        Failed(await Services.Programs.CreateAsync(new CreateProgram { Definition = Definition("zoo"), Name = "Again" }, default), ApplicationErrors.ProgramExists);

        var v2 = Definition("zoo", 2) with { PointLifetimeMonths = 24 };
        var published = Ok(await Services.Programs.PublishAsync("zoo", v2, default));
        Assert.Equal([1, 2], published.Versions);
        Assert.Equal(24, published.Latest.PointLifetimeMonths);

        var got = Ok(await Services.Programs.GetAsync("zoo", default));
        Assert.Equal([1, 2], got.Versions);
        Assert.Equal(Core.Serialization.LoyaltyJson.Serialize(v2), Core.Serialization.LoyaltyJson.Serialize(got.Latest));

        Failed(await Services.Programs.PublishAsync("zoo", v2, default), ApplicationErrors.VersionConflict);
        Failed(await Services.Programs.PublishAsync("zoo", Definition("zoo", 5), default), ApplicationErrors.VersionConflict);
        Failed(await Services.Programs.PublishAsync("zoo", Definition("zoo", 3) with { Currency = "NOK" }, default), ErrorCodes.CurrencyMismatch);
        Failed(await Services.Programs.PublishAsync("zoo", Definition("other", 3), default), ErrorCodes.ProgramMismatch);
        Failed(await Services.Programs.PublishAsync("nope", Definition("nope", 2), default), ApplicationErrors.ProgramNotFound);
        Failed(await Services.Programs.GetAsync("nope", default), ApplicationErrors.ProgramNotFound);
    }

    [Fact]
    public async Task Concurrent_publishes_of_one_version_let_one_win()
    {
        await CreateProgramAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Services.Programs.PublishAsync("zoo", Definition("zoo", 2), default)));
        Assert.Single(results, r => r.IsValid);
        Assert.All(results.Where(r => !r.IsValid), r => Assert.Equal(ApplicationErrors.VersionConflict, r.Errors[0].Code));
    }

    [Fact]
    public async Task A_program_is_validated_before_it_is_stored()
    {
        var bad = await Services.Programs.CreateAsync(new CreateProgram
        {
            Definition = Definition("Zoo|1") with { Tiers = [] },
            Name = "",
            DefaultCountry = "XX",
            Shards = 3,
        }, default);
        var paths = bad.Errors.Select(e => e.Path).ToHashSet();
        Assert.Superset(new HashSet<string> { "name", "defaultCountry", "shards", "definition.programId", "definition.tiers" }, paths);
        Failed(await Services.Programs.GetAsync("Zoo|1", default), ApplicationErrors.ProgramNotFound);
    }

    [Fact]
    public async Task An_api_key_authenticates_only_with_its_exact_secret()
    {
        var programId = await CreateProgramAsync();
        var issued = Ok(await Services.ApiKeys.CreateAsync(programId, "Till 1", Scope.Pos | Scope.Store, default));
        Assert.StartsWith($"lf_{issued.KeyId}_", issued.Secret);

        var caller = await Services.ApiKeys.AuthenticateAsync(issued.Secret, default);
        Assert.Equal(new ApiCaller(issued.KeyId, programId, Scope.Pos | Scope.Store), caller);

        var wrongSecret = issued.Secret[..^2] + (issued.Secret[^2..] == "AA" ? "BB" : "AA");
        Assert.Null(await Services.ApiKeys.AuthenticateAsync(wrongSecret, default));
        Assert.Null(await Services.ApiKeys.AuthenticateAsync(ApiKeySecret.Generate().Value, default));
        foreach (var malformed in new[] { "", "lf_", "Bearer x", issued.Secret.Replace("lf_", "xx_", StringComparison.Ordinal), $"lf_{issued.KeyId}_" })
            Assert.Null(await Services.ApiKeys.AuthenticateAsync(malformed, default));

        Failed(await Services.ApiKeys.CreateAsync("nope", "Till", Scope.Pos, default), ApplicationErrors.ProgramNotFound);
        Assert.Equal(["name", "scopes"], (await Services.ApiKeys.CreateAsync(programId, " ", Scope.None, default)).Errors.Select(e => e.Path));

        // Only the hash is stored.
        var stored = await Storage.Ports.ApiKeys.GetAsync(issued.KeyId, default);
        Assert.DoesNotContain(issued.Secret.Split('_')[2], stored!.Hash, StringComparison.Ordinal);
    }
}
