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

        var v2 = Next("zoo", 2) with { PointLifetimeMonths = 24 };
        var published = Ok(await Services.Programs.PublishAsync("zoo", v2, default));
        Assert.Equal([1, 2], published.Versions);
        Assert.Equal(24, published.Latest.PointLifetimeMonths);

        var got = Ok(await Services.Programs.GetAsync("zoo", default));
        Assert.Equal([1, 2], got.Versions);
        Assert.Equal(Core.Serialization.LoyaltyJson.Serialize(v2), Core.Serialization.LoyaltyJson.Serialize(got.Latest));

        Failed(await Services.Programs.PublishAsync("zoo", v2, default), ApplicationErrors.VersionConflict);
        Failed(await Services.Programs.PublishAsync("zoo", Next("zoo", 5), default), ApplicationErrors.VersionConflict);
        Failed(await Services.Programs.PublishAsync("zoo", Next("zoo", 3) with { Currency = "NOK" }, default), ErrorCodes.CurrencyMismatch);
        Failed(await Services.Programs.PublishAsync("zoo", Next("other", 3), default), ErrorCodes.ProgramMismatch);
        Failed(await Services.Programs.PublishAsync("nope", Next("nope", 2), default), ApplicationErrors.ProgramNotFound);
        Failed(await Services.Programs.GetAsync("nope", default), ApplicationErrors.ProgramNotFound);
    }

    [Fact]
    public async Task A_new_version_takes_effect_from_now_on_give_or_take_the_clock_skew()
    {
        await CreateProgramAsync();
        var now = Clock.GetUtcNow();

        var past = Failed(await Services.Programs.PublishAsync("zoo", Next("zoo", 2) with { EffectiveFrom = now.AddHours(-1) }, default), ErrorCodes.EffectiveFromInPast);
        Assert.Equal("effectiveFrom", past.Path);
        Failed(await Services.Programs.PublishAsync("zoo", Next("zoo", 2) with { EffectiveFrom = now - ProgramService.EffectiveFromSkew - TimeSpan.FromSeconds(1) }, default), ErrorCodes.EffectiveFromInPast);
        Ok(await Services.Programs.PublishAsync("zoo", Next("zoo", 2) with { EffectiveFrom = now - ProgramService.EffectiveFromSkew + TimeSpan.FromSeconds(1) }, default));
    }

    [Fact]
    public async Task A_published_program_over_the_bounds_added_since_still_loads_and_refuses_receipts_it_would_overflow_on()
    {
        // Stored as it was accepted before the bounds existed: straight into the store, as an old deployment left it.
        var generous = Definition("zoo") with { Earn = new() { PointsPerCurrencyUnit = 1_000_000_000_000m } };
        Assert.True(await Storage.Ports.Programs.CreateAsync(new Core.Application.Ports.ProgramSettings("zoo", "Zoo", "SE", 4, Start), generous, default));
        Failed(await Services.Programs.CreateAsync(new CreateProgram { Definition = generous with { ProgramId = "zoo2" }, Name = "Zoo" }, default), ErrorCodes.OutOfRange);

        Assert.Equal([1], Ok(await Services.Programs.GetAsync("zoo", default)).Versions);
        var member = Ok(await Services.Members.EnrolAsync("zoo", new EnrolMember { Email = "big@example.com" }, default)).Profile.MemberId;
        var receipt = new Core.Application.Receipts.PosReceipt
        {
            Id = "big-1", PurchasedAt = Start.AddMinutes(-1), Member = new MemberIdentifier { MemberId = member }, Currency = "SEK", Total = 1_000_000m,
            Lines = [new Core.Application.Receipts.PosLine { Sku = "tv", Quantity = 1, Amount = 1_000_000m }],
        };
        Failed(await Services.Receipts.SubmitAsync("zoo", receipt, "{}"u8.ToArray(), default), ErrorCodes.PointsOverLimit);
    }

    [Fact]
    public async Task Concurrent_publishes_of_one_version_let_one_win()
    {
        await CreateProgramAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Services.Programs.PublishAsync("zoo", Next("zoo", 2), default)));
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

    private Core.Programs.ProgramDefinition Next(string programId, int version) => Definition(programId, version) with { EffectiveFrom = Clock.GetUtcNow().AddDays(version) };
}
