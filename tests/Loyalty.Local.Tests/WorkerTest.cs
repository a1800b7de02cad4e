using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Text.Json;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Hosting;
using Loyalty.Hosting.Receipts;
using Loyalty.Local.Workers;
using Azure.Storage.Queues;
using Loyalty.Storage.Queues;
using Loyalty.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace Loyalty.Local.Tests;

/// <summary>
/// Each test gets its own <c>Storage:Prefix</c> (so its own queues and tables, and test classes run in parallel), a
/// demo-shaped program of its own, and helpers to enrol members, send <c>loyalty.receipt.v1</c> messages and run
/// <see cref="ReceiptsQueueWorker"/>s. Everything the prefix names is deleted afterwards, keeping Azurite's total
/// queue depth (which slows every queue operation) low.
/// </summary>
public abstract class WorkerTest(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long a test waits for the worker to get somewhere before it fails.</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly List<ReceiptsQueueWorker> workers = [];

    protected string Prefix { get; } = UniqueName.Table("local");
    protected string ProgramId { get; } = "p" + Guid.NewGuid().ToString("N")[..12];
    protected ITestOutputHelper Output { get; } = output;
    protected IServiceProvider Backend { get; private set; } = null!;
    protected QueueClient Receipts => Backend.Storage.ReceiptsQueue;
    protected QueueClient Poison => Backend.Storage.ReceiptsPoisonQueue;

    /// <summary>Purchases happen "now": inside the program's current qualification window and not in the future.</summary>
    protected static DateTimeOffset PurchaseTime { get; } = DateTimeOffset.UtcNow.AddMinutes(-1);

    public virtual async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:Prefix"] = Prefix,
        }).Build();
        Backend = new ServiceCollection().AddLoyaltyStorage(configuration).AddLoyaltyApplication(configuration).BuildServiceProvider();
        await Backend.Storage.EnsureCreatedAsync(CancellationToken.None);
        var created = await Backend.Programs.CreateAsync(new CreateProgram
        {
            Definition = DemoProgram.Definition(DateTimeOffset.UtcNow.AddYears(-1)) with { ProgramId = ProgramId },
            Name = "Worker test",
            Shards = 4,
        }, CancellationToken.None);
        Assert.True(created.IsValid, string.Join("; ", created.Errors));
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var worker in workers)
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }

        var names = Backend.Storage.Names;
        var account = Backend.Storage.Account;
        await Task.WhenAll(
            names.Queues.Select(Task (name) => account.GetQueue(name).DeleteIfExistsAsync())
                .Concat(names.Tables.Select(Task (name) => account.GetTable(name).DeleteAsync()))
                .Concat(names.Containers.Select(Task (name) => account.GetContainer(name).DeleteIfExistsAsync())));
    }

    /// <summary>Starts a worker over this test's queues; it is stopped when the test ends.</summary>
    protected async Task<ReceiptsQueueWorker> StartWorkerAsync(ReceiptWorkerOptions? options = null, IReceiptService? receipts = null)
    {
        var worker = new ReceiptsQueueWorker(
            Backend.Storage,
            receipts ?? Backend.Receipts,
            Backend.GetRequiredService<ProgramCache>(),
            new ReceiptPoisonQueue(Backend.Storage),
            options ?? new ReceiptWorkerOptions(),
            new OutputLogger<ReceiptsQueueWorker>(Output));
        workers.Add(worker);
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    protected async Task<string[]> EnrolAsync(int count)
    {
        var program = await Backend.ProgramAsync(ProgramId);
        var enrolled = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            Backend.Members.EnrolAsync(program, new EnrolMember { FirstName = $"Member{i}" }, CancellationToken.None)));
        Assert.All(enrolled, e => Assert.True(e.IsValid, string.Join("; ", e.Errors)));
        return enrolled.Select(e => e.Value.Profile.MemberId).ToArray();
    }

    /// <summary>One line of <paramref name="quantity"/> items at <paramref name="unitPrice"/> SEK: the demo program gives 1 point per whole krona.</summary>
    protected static PosReceipt Purchase(string id, string memberId, decimal unitPrice, int quantity = 1) => new()
    {
        Id = id,
        StoreId = "store-1",
        PurchasedAt = PurchaseTime,
        Member = new MemberIdentifier { MemberId = memberId },
        Currency = "SEK",
        Total = unitPrice * quantity,
        Lines = [new PosLine { Sku = "sku-" + id, Category = "toys", Quantity = quantity, UnitPrice = unitPrice, Amount = unitPrice * quantity }],
    };

    /// <summary>Gives back <paramref name="quantity"/> items of <paramref name="purchase"/>'s only line.</summary>
    protected static PosReceipt Return(string id, PosReceipt purchase, int quantity)
    {
        var line = purchase.Lines[0];
        return purchase with
        {
            Id = id,
            PurchasedAt = PurchaseTime.AddSeconds(1),
            ReturnOf = purchase.Id,
            Total = -quantity * line.UnitPrice!.Value,
            Lines = [line with { Quantity = -quantity, Amount = -quantity * line.UnitPrice!.Value, OriginalLine = 0 }],
        };
    }

    protected string Message(params PosReceipt[] receipts) =>
        LoyaltyJson.Serialize(new ReceiptMessage { Type = ReceiptMessage.MessageType, ProgramId = ProgramId, Receipts = receipts });

    protected async Task SendAsync(params string[] messages)
    {
        // One at a time: the queue then hands them out in this order.
        foreach (var message in messages) await Receipts.SendBodyAsync(BinaryData.FromString(message));
    }

    /// <summary>Waits until every message is deleted: the approximate count includes hidden (in-flight) messages.</summary>
    protected Task WaitUntilQueueIsEmptyAsync(TimeSpan timeout, Func<string>? describe = null) =>
        WaitUntilAsync(async () => (await Receipts.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, timeout,
            async () => $"{(await Receipts.GetPropertiesAsync()).Value.ApproximateMessagesCount} messages still on {Receipts.Name}. {describe?.Invoke()}");

    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"Not so after {timeout.TotalSeconds:0} s: {await describe()}");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>The poison queue's entries (peeked, so they stay), parsed.</summary>
    protected async Task<IReadOnlyList<JsonElement>> PoisonEntriesAsync()
    {
        var peeked = (await Poison.PeekMessagesAsync(32)).Value;
        return peeked.Select(m =>
        {
            using var json = JsonDocument.Parse(m.DecodedBody().ToMemory());
            return json.RootElement.Clone();
        }).ToList();
    }

    protected async Task<long> QualifyingPointsAsync(string memberId)
    {
        var member = await Backend.Members.GetAsync(await Backend.ProgramAsync(ProgramId), memberId, CancellationToken.None);
        Assert.True(member.IsValid, string.Join("; ", member.Errors));
        return member.Value.View.QualifyingPoints;
    }

    /// <summary>The ids of the member's receipt history entries, repeats included.</summary>
    protected async Task<List<string>> HistoryAsync(string memberId)
    {
        var ids = (await ReceiptHistoryAsync(memberId)).Select(r => r.ReceiptId).ToList();
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    protected async Task<List<ReceiptSummary>> ReceiptHistoryAsync(string memberId)
    {
        var receipts = new List<ReceiptSummary>();
        string? continuation = null;
        do
        {
            var page = await Backend.Members.ListReceiptsAsync(await Backend.ProgramAsync(ProgramId),
                memberId, new PageRequest(PageRequest.MaxPageSize, continuation),
                CancellationToken.None);
            Assert.True(page.IsValid, string.Join("; ", page.Errors));
            receipts.AddRange(page.Value.Items);
            continuation = page.Value.Continuation;
        }
        while (continuation is not null);
        return receipts;
    }

    protected static string[] Sorted(params string[] ids) => ids.Order(StringComparer.Ordinal).ToArray();
}

/// <summary>Worker log lines in the test's output, shown when a test fails.</summary>
internal sealed class OutputLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test is over.
        }
    }
}
