using Xunit;
using Loyalty.Core.Application;
using Loyalty.Core.Programs;
using Loyalty.Core.Tiers;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;
using Loyalty.Storage.Repositories;
using Loyalty.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Loyalty.Storage.Tests.Repositories;

/// <summary>Each test gets its own four tables, its own clock and its own services over them.</summary>
public abstract class LoyaltyStorageTest : AzuriteTest
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    protected LoyaltyStorageTest()
    {
        Storage = LoyaltyStorage.Create(Account, LoyaltyResources.WithPrefix(UniqueName.Table("lf")));
        Services = Storage.CreateServices(Clock);
    }

    protected FakeTimeProvider Clock { get; } = new(Start);
    protected LoyaltyStorage Storage { get; }
    protected LoyaltyServices Services { get; }
    protected IMemberService Members => Services.Members;

    public override async Task InitializeAsync()
    {
        await Storage.EnsureCreatedAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        var names = Storage.Names;
        await Task.WhenAll(
            names.Tables.Select(name => Account.GetTable(name).DeleteTableAsync())
                .Concat(names.Queues.Select(name => Account.GetQueue(name).DeleteQueueAsync()))
                .Concat(names.Containers.Select(name => Account.GetContainer(name).DeleteContainerAsync())));
        await base.DisposeAsync();
    }

    /// <summary>Till denominations (2,000 p = 100 kr, 4,000 p = 200 kr) and a 50 kr welcome voucher with id "welcome".</summary>
    protected static ProgramDefinition Definition(string programId, int version = 1) => new()
    {
        ProgramId = programId,
        Version = version,
        EffectiveFrom = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddYears(version - 1),
        Currency = "SEK",
        TimeZone = "Europe/Stockholm",
        Tiers =
        [
            new TierDefinition { Name = "Bronze", Threshold = 0, Benefits = [new Benefit("discount-percent", 5)] },
            new TierDefinition { Name = "Silver", Threshold = 5_000 },
        ],
        TierPolicy = TierPolicy.DropOneTier,
        Vouchers = new VoucherRules { Denominations = [new(2_000, 100m), new(4_000, 200m)], ValidDays = 90 },
        WelcomeReward = new Reward { Value = 50m, ValidDays = 30 },
    };

    protected async Task<string> CreateProgramAsync(string programId = "zoo", int shards = 8)
    {
        Ok(await Services.Programs.CreateAsync(new CreateProgram { Definition = Definition(programId), Name = "Zoo Club", Shards = shards }, default));
        return programId;
    }

    protected async Task<MemberDetails> EnrolAsync(string programId, EnrolMember? request = null) =>
        Ok(await Members.EnrolAsync(programId, request ?? new EnrolMember { FirstName = "Ada" }, default));

    protected static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Code} {e.Message}")));
        return result.Value;
    }

    protected static ValidationError Failed<T>(Result<T> result, string code)
    {
        Assert.False(result.IsValid, "Expected the operation to fail with " + code);
        var error = Assert.Single(result.Errors);
        Assert.Equal(code, error.Code);
        return error;
    }
}
