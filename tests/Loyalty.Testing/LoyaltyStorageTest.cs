using Loyalty.Storage.Queues;
using Xunit;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Events;
using Loyalty.Core.Serialization;
using Loyalty.Core.Programs;
using Loyalty.Core.Tiers;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;
using Loyalty.Storage.Repositories;
using Loyalty.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Loyalty.Testing;

/// <summary>Each test gets its own four tables, its own clock and its own services over them.</summary>
public abstract class LoyaltyStorageTest : AzuriteTest
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private readonly LoyaltyResources names = LoyaltyResources.WithPrefix(UniqueName.Table("lf"));

    protected LoyaltyStorageTest()
    {
        Services = CreateServices();
        Storage = Services.GetRequiredService<LoyaltyStorage>();
    }

    protected FakeTimeProvider Clock { get; } = new(Start);
    protected LoyaltyStorage Storage { get; }

    /// <summary>The container as the hosts build it, over this test's storage and clock.</summary>
    protected IServiceProvider Services { get; }

    protected IMemberService Members => Services.Members;

    /// <summary>
    /// Another container over the same storage (a second host); <paramref name="replace"/> registers what the test
    /// substitutes (a failing port, other options), which wins over the registration it replaces.
    /// </summary>
    protected IServiceProvider CreateServices(Action<IServiceCollection>? replace = null) => TestServices.Create(Account, names, Clock, replace);

    /// <summary>A storage port of this test's container.</summary>
    protected T Port<T>() where T : notnull => Services.GetRequiredService<T>();

    public override async Task InitializeAsync()
    {
        await Storage.EnsureCreatedAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        var names = Storage.Names;
        await Task.WhenAll(
            names.Tables.Select(Task (name) => Account.GetTable(name).DeleteAsync())
                .Concat(names.Queues.Select(Task (name) => Account.GetQueue(name).DeleteIfExistsAsync()))
                .Concat(names.Containers.Select(Task (name) => Account.GetContainer(name).DeleteIfExistsAsync())));
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
        Ok(await Members.EnrolAsync(await Services.ProgramAsync(programId), request ?? new EnrolMember { FirstName = "Ada" }, default));

    /// <summary>The demo program (tiers, automatic vouchers, a stamp card for pet food) under a fresh id, four shards.</summary>
    protected async Task<string> CreateDemoProgramAsync()
    {
        var programId = "p" + Guid.NewGuid().ToString("N")[..10];
        Ok(await Services.Programs.CreateAsync(new CreateProgram { Definition = DemoDefinition(programId), Name = "Pets", Shards = 4 }, default));
        return programId;
    }

    /// <summary>The demo program with "every 2,000 points a 100 kr voucher" converted automatically instead of its till denominations.</summary>
    protected ProgramDefinition DemoDefinition(string programId) =>
        DemoProgram.Definition(Start.AddYears(-1)) with
        {
            ProgramId = programId,
            Vouchers = new VoucherRules { Automatic = new AutomaticVoucherRule(2_000, 100m), ValidDays = 90 },
        };

    /// <summary>Takes every message off the notifications queue.</summary>
    protected async Task<IReadOnlyList<Notification>> DrainNotificationsAsync()
    {
        var queue = Storage.NotificationsQueue;
        var found = new List<Notification>();
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                found.AddRange(LoyaltyJson.Deserialize<NotificationBatch>(message.DecodedBody().ToString()).Notifications);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
        return found;
    }

    protected static PosReceipt Purchase(string id, MemberIdentifier? member, params (string Sku, string Category, decimal Quantity, decimal Amount)[] lines) =>
        new()
    {
        Id = id,
        StoreId = "store-1",
        PurchasedAt = Start.AddMinutes(-30),
        Member = member,
        Currency = "SEK",
        Total = lines.Sum(l => l.Amount),
        Lines = lines.Select(l => new PosLine { Sku = l.Sku, Category = l.Category, Quantity = l.Quantity, Amount = l.Amount }).ToArray(),
    };

    protected static PosReceipt Return(string id, string of, MemberIdentifier member,
        params (string Sku, string Category, decimal Quantity, decimal Amount)[] lines) =>
        Purchase(id, member, lines) with { ReturnOf = of, PurchasedAt = Start.AddMinutes(-5) };

    protected static ReadOnlyMemory<byte> Payload(PosReceipt receipt) => System.Text.Encoding.UTF8.GetBytes(LoyaltyJson.Serialize(receipt));

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
