using Loyalty.Core.Application.Ports;
using Azure.Data.Tables;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Validation;
using Loyalty.Storage.Tables;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Application.Tests;

public class ProgramAndApiKeyTests : LoyaltyStorageTest
{
    [Fact]
    public async Task A_program_is_created_then_published_version_by_version()
    {
        var created = Ok(await Services.Programs.CreateAsync(new CreateProgram { Definition = Definition("zoo"), Name = "Zoo Club", DefaultCountry = "NO",
            Shards = 16 }, default));
        Assert.Equal(("zoo", "Zoo Club", "NO", 16), (created.ProgramId, created.Name, created.DefaultCountry, created.Shards));
        Assert.Equal([1], created.Versions);

        Failed(await Services.Programs.CreateAsync(new CreateProgram { Definition = Definition("zoo"), Name = "Again" }, default),
            ApplicationErrors.ProgramExists);

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

        var past = Failed(await Services.Programs.PublishAsync("zoo", Next("zoo", 2) with { EffectiveFrom = now.AddHours(-1) }, default),
            ErrorCodes.EffectiveFromInPast);
        Assert.Equal("effectiveFrom", past.Path);
        Failed(await Services.Programs.PublishAsync("zoo",
            Next("zoo", 2) with { EffectiveFrom = now - ProgramService.EffectiveFromSkew - TimeSpan.FromSeconds(1) }, default), ErrorCodes.EffectiveFromInPast);
        Ok(await Services.Programs.PublishAsync("zoo", Next("zoo", 2) with { EffectiveFrom = now - ProgramService.EffectiveFromSkew + TimeSpan.FromSeconds(1) },
            default));
    }

    [Fact]
    public async Task A_published_program_over_the_bounds_added_since_still_loads_and_refuses_receipts_it_would_overflow_on()
    {
        // Stored as it was accepted before the bounds existed: straight into the store, as an old deployment left it.
        var generous = Definition("zoo") with { Earn = new() { PointsPerCurrencyUnit = 1_000_000_000_000m } };
        Assert.True(await Port<IProgramStore>().CreateAsync(new Core.Application.Ports.ProgramSettings("zoo", "Zoo", "SE", 4, Start), generous, default));
        Failed(await Services.Programs.CreateAsync(new CreateProgram { Definition = generous with { ProgramId = "zoo2" }, Name = "Zoo" }, default),
            ErrorCodes.OutOfRange);

        Assert.Equal([1], Ok(await Services.Programs.GetAsync("zoo", default)).Versions);
        var member = Ok(await Services.Members.EnrolAsync(await Services.ProgramAsync("zoo"),
            new EnrolMember { Email = "big@example.com" }, default)).Profile.MemberId;
        var receipt = new Core.Application.Receipts.PosReceipt
        {
            Id = "big-1", PurchasedAt = Start.AddMinutes(-1), Member = new MemberIdentifier { MemberId = member }, Currency = "SEK", Total = 1_000_000m,
            Lines = [new Core.Application.Receipts.PosLine { Sku = "tv", Quantity = 1, Amount = 1_000_000m }],
        };
        Failed(await Services.Receipts.SubmitAsync(await Services.ProgramAsync("zoo"), receipt, "{}"u8.ToArray(), default), ErrorCodes.PointsOverLimit);
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
        var issued = Ok(await Services.ApiKeys.CreateAsync(await Services.ProgramAsync(programId), "Till 1", Scope.Pos | Scope.Store, default));
        Assert.StartsWith($"lf_{issued.KeyId}_", issued.Secret);

        var caller = await Services.ApiKeys.AuthenticateAsync(issued.Secret, default);
        Assert.Equal(new ApiCaller(issued.KeyId, programId, Scope.Pos | Scope.Store), caller);

        var wrongSecret = issued.Secret[..^2] + (issued.Secret[^2..] == "AA" ? "BB" : "AA");
        Assert.Null(await Services.ApiKeys.AuthenticateAsync(wrongSecret, default));
        Assert.Null(await Services.ApiKeys.AuthenticateAsync(ApiKeySecret.Generate().Value, default));
        foreach (var malformed in new[] { "", "lf_", "Bearer x", issued.Secret.Replace("lf_", "xx_", StringComparison.Ordinal), $"lf_{issued.KeyId}_" })
            Assert.Null(await Services.ApiKeys.AuthenticateAsync(malformed, default));

        Assert.Equal(["name", "scopes"],
            (await Services.ApiKeys.CreateAsync(await Services.ProgramAsync(programId), " ", Scope.None, default)).Errors.Select(e => e.Path));

        // Only the hash is stored. (The secret is base64url, so it may itself hold or start with '_': it is parsed, not split.)
        Assert.True(ApiKeySecret.TryParse(issued.Secret, out var parsed));
        var stored = await Port<IApiKeyStore>().GetAsync(issued.KeyId, default);
        Assert.Equal(parsed.Hash(), stored!.Hash);
        Assert.DoesNotContain(parsed.Secret, stored.Hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_listed_per_program_revoked_for_good_and_expire()
    {
        var programId = await CreateProgramAsync();
        var other = await CreateProgramAsync("other");
        var tills = Ok(await Services.ApiKeys.CreateAsync(await Services.ProgramAsync(programId), "tills", Scope.Pos, default));
        var shortLived = Ok(await Services.ApiKeys.CreateAsync(await Services.ProgramAsync(programId), "contractor", Scope.Store, Start.AddDays(1),
            default));
        var theirs = Ok(await Services.ApiKeys.CreateAsync(await Services.ProgramAsync(other), "theirs", Scope.Admin, default));
        Assert.Equal(Start.AddDays(1), shortLived.ExpiresAt);
        Failed(await Services.ApiKeys.CreateAsync(await Services.ProgramAsync(programId), "late", Scope.Pos, Start, default), ErrorCodes.OutOfRange);

        var listed = Ok(await Services.ApiKeys.ListAsync(programId, new PageRequest(), default));
        Assert.Equal(new[] { tills.KeyId, shortLived.KeyId }.Order(StringComparer.Ordinal), listed.Items.Select(k => k.KeyId));
        Assert.All(listed.Items, k => Assert.Equal(ApiKeyStatus.Active, k.Status));
        Assert.Equal(["store"], listed.Items.Single(k => k.KeyId == shortLived.KeyId).Scopes);

        // Paged in key-id order; a page of one holds a continuation to the next.
        var first = Ok(await Services.ApiKeys.ListAsync(programId, new PageRequest(1), default));
        var second = Ok(await Services.ApiKeys.ListAsync(programId, new PageRequest(1, first.Continuation), default));
        Assert.Equal(listed.Items.Select(k => k.KeyId), first.Items.Concat(second.Items).Select(k => k.KeyId));
        Assert.Null(second.Continuation);

        // Another program's key is not there, for reading or revoking.
        Failed(await Services.ApiKeys.GetAsync(programId, theirs.KeyId, default), ApplicationErrors.KeyNotFound);
        Failed(await Services.ApiKeys.RevokeAsync(programId, theirs.KeyId, default), ApplicationErrors.KeyNotFound);
        Failed(await Services.ApiKeys.RevokeAsync(programId, "not a key id", default), ApplicationErrors.KeyNotFound);
        Assert.NotNull(await Services.ApiKeys.AuthenticateAsync(theirs.Secret, default));

        Clock.Advance(TimeSpan.FromMinutes(5));
        var revoked = Ok(await Services.ApiKeys.RevokeAsync(programId, tills.KeyId, default));
        Assert.Equal((ApiKeyStatus.Revoked, Start.AddMinutes(5)), (revoked.Status, revoked.RevokedAt));
        Assert.Null(await Services.ApiKeys.AuthenticateAsync(tills.Secret, default));
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(Start.AddMinutes(5), Ok(await Services.ApiKeys.RevokeAsync(programId, tills.KeyId, default)).RevokedAt);

        Assert.NotNull(await Services.ApiKeys.AuthenticateAsync(shortLived.Secret, default));
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await Services.ApiKeys.AuthenticateAsync(shortLived.Secret, default));
        Assert.Equal(ApiKeyStatus.Expired, Ok(await Services.ApiKeys.GetAsync(programId, shortLived.KeyId, default)).Status);
    }

    [Fact]
    public async Task Last_used_is_written_at_most_once_an_hour_per_key()
    {
        var programId = await CreateProgramAsync();
        var key = Ok(await Services.ApiKeys.CreateAsync(await Services.ProgramAsync(programId), "tills", Scope.Pos, default));
        Assert.Null(Ok(await Services.ApiKeys.GetAsync(programId, key.KeyId, default)).LastUsedAt);

        Assert.NotNull(await Services.ApiKeys.AuthenticateAsync(key.Secret, default));
        var written = (await Storage.Account.GetTable(Storage.Names.ApiKeys).GetOrNullAsync<TableEntity>(key.KeyId, ""))!.ETag;
        Assert.Equal(Start, Ok(await Services.ApiKeys.GetAsync(programId, key.KeyId, default)).LastUsedAt);

        // Within the hour: look-ups read, but write nothing (the row's version stays).
        Clock.Advance(TimeSpan.FromMinutes(59));
        for (var i = 0; i < 3; i++) Assert.NotNull(await Services.ApiKeys.AuthenticateAsync(key.Secret, default));
        Assert.Equal(written, (await Storage.Account.GetTable(Storage.Names.ApiKeys).GetOrNullAsync<TableEntity>(key.KeyId, ""))!.ETag);

        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull(await Services.ApiKeys.AuthenticateAsync(key.Secret, default));
        Assert.Equal(Start.AddHours(1), Ok(await Services.ApiKeys.GetAsync(programId, key.KeyId, default)).LastUsedAt);
    }

    [Fact]
    public async Task Demo_keys_are_reused_from_their_secrets_and_otherwise_replaced_and_revoked()
    {
        var demo = Services.Demo;
        var first = await demo.SeedAsync(2, [], null, default);
        Assert.Equal(Core.Application.Demo.DemoData.Roles.Select(r => r.Name), first.Select(k => k.Name));

        var again = await demo.SeedAsync(2, [.. first.Select(k => k.Secret)], null, default);
        Assert.Equal(first.Select(k => k.Secret), again.Select(k => k.Secret));

        // Without the secrets (another machine, a lost file), new keys; the old ones stop working.
        var fresh = await demo.SeedAsync(2, [], null, default);
        Assert.Empty(fresh.Select(k => k.KeyId).Intersect(first.Select(k => k.KeyId)));
        foreach (var old in first) Assert.Null(await Services.ApiKeys.AuthenticateAsync(old.Secret, default));
        foreach (var key in fresh) Assert.NotNull(await Services.ApiKeys.AuthenticateAsync(key.Secret, default));

        var listed = Ok(await Services.ApiKeys.ListAsync(Core.Application.Demo.DemoProgram.Id, new PageRequest(), default)).Items;
        Assert.Equal(4, listed.Count(k => k.Status == ApiKeyStatus.Active));
        Assert.Equal(8, listed.Count);
    }

    private Core.Programs.ProgramDefinition Next(string programId, int version) =>
        Definition(programId, version) with { EffectiveFrom = Clock.GetUtcNow().AddDays(version) };
}
