using System.Diagnostics;
using System.Text;
using Azure.Messaging.ServiceBus;
using Loyalty.Cli.Pos;
using Xunit;

namespace Loyalty.Cli.Tests;

/// <summary>What goes on a Service Bus queue: the body, the message id duplicate detection keys on, and the batching.</summary>
public sealed class ServiceBusReceiptsTests
{
    [Fact]
    public void One_receipt_is_named_by_its_program_and_id()
    {
        Assert.Equal("demo:s3-t2-20260314-000187", ServiceBusReceipts.MessageId("demo", ["s3-t2-20260314-000187"]));
    }

    [Fact]
    public void Several_receipts_are_named_by_the_first_the_count_and_a_hash_of_all()
    {
        var id = ServiceBusReceipts.MessageId("demo", ["r1", "r2", "r3"]);
        Assert.Matches("^demo:r1\\+2:[0-9a-f]{16}$", id);
        Assert.Equal(id, ServiceBusReceipts.MessageId("demo", ["r1", "r2", "r3"]));
    }

    [Theory]
    [InlineData("demo", new[] { "r1", "r2", "r4" })]
    [InlineData("demo", new[] { "r1", "r3", "r2" })]
    [InlineData("demo", new[] { "r1", "r2" })]
    [InlineData("other", new[] { "r1", "r2", "r3" })]
    public void A_message_with_other_receipts_or_for_another_program_is_not_a_duplicate(string programId, string[] receiptIds)
    {
        Assert.NotEqual(ServiceBusReceipts.MessageId("demo", ["r1", "r2", "r3"]), ServiceBusReceipts.MessageId(programId, receiptIds));
    }

    [Fact]
    public void The_same_receipt_id_in_two_programs_is_two_messages()
    {
        Assert.NotEqual(ServiceBusReceipts.MessageId("demo", ["r1"]), ServiceBusReceipts.MessageId("pets", ["r1"]));
    }

    [Fact]
    public void Ids_of_the_contract_s_longest_fit_service_bus_readable()
    {
        var program = new string('p', 40);
        var ids = Enumerable.Range(0, 100).Select(n => $"{n:D2}" + new string('r', 62)).ToArray();
        var id = ServiceBusReceipts.MessageId(program, ids);
        Assert.StartsWith($"{program}:{ids[0]}+99:", id);
        Assert.True(id.Length <= ServiceBusReceipts.MaxMessageIdLength, $"{id.Length} characters");
    }

    [Fact]
    public void Ids_beyond_the_contract_fall_back_to_the_hash_alone()
    {
        var tooLong = new string('x', 200);
        var id = ServiceBusReceipts.MessageId("demo", [tooLong]);
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        Assert.Equal(id, ServiceBusReceipts.MessageId("demo", [tooLong]));
    }

    [Fact]
    public void The_message_carries_the_json_bytes_unchanged()
    {
        var body = Encoding.UTF8.GetBytes("""{"type":"loyalty.receipt.v1","programId":"demo","receipts":[{"id":"r1"}]}""");
        var message = ServiceBusReceipts.Message(new BinaryData(body), "demo", ["r1"]);
        Assert.Equal(body, message.Body.ToArray());
        Assert.Equal("demo:r1", message.MessageId);
        Assert.Equal("application/json", message.ContentType);
    }

    [Fact]
    public async Task The_batcher_sends_every_message_once_in_order_within_the_batch_limit()
    {
        var sender = new RecordingSender(maxBatchBytes: 1_000);
        var receipts = 0;
        await using (var batcher = new ServiceBusBatcher(sender, n => receipts += n))
        {
            for (var i = 0; i < 10; i++)
                await batcher.AddAsync(Message($"m{i}", 300), 2, CancellationToken.None);
            await batcher.FlushAsync(CancellationToken.None);
        }
        Assert.Equal([3, 3, 3, 1], sender.Batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), sender.Batches.SelectMany(b => b).Select(m => m.MessageId));
        Assert.Equal(20, receipts);
    }

    [Fact]
    public async Task The_batcher_sends_nothing_until_flushed_and_nothing_when_empty()
    {
        var sender = new RecordingSender(maxBatchBytes: 1_000);
        await using var batcher = new ServiceBusBatcher(sender, _ => { });
        await batcher.FlushAsync(CancellationToken.None);
        await batcher.AddAsync(Message("m0", 10), 1, CancellationToken.None);
        Assert.Empty(sender.Batches);
        await batcher.FlushAsync(CancellationToken.None);
        Assert.Single(sender.Batches);
    }

    [Fact]
    public async Task A_message_no_batch_takes_is_refused_with_the_limit()
    {
        var sender = new RecordingSender(maxBatchBytes: 1_000);
        await using var batcher = new ServiceBusBatcher(sender, _ => { });
        await batcher.AddAsync(Message("small", 10), 1, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<MessageTooLargeException>(() => batcher.AddAsync(Message("big", 1_001), 1, CancellationToken.None));
        Assert.Contains("1,001 bytes", refused.Message);
        Assert.Contains("1,000 bytes receipts takes", refused.Message);
        Assert.Equal(["small"], sender.Batches.SelectMany(b => b).Select(m => m.MessageId));
    }

    [Fact]
    public async Task A_simulation_goes_out_as_its_plan_with_a_distinct_id_per_message()
    {
        var now = DateTimeOffset.UtcNow;
        var random = new Random(7);
        var baskets = new BasketGenerator(random, members: 50, "SEK", now.AddHours(-1), now, TimeZoneInfo.Utc);
        var plan = SimulationPlan.Build("demo", "run1", receipts: 400, batch: 10, returns: 0.1, duplicates: 0.1, random, baskets);
        var sender = new RecordingSender(maxBatchBytes: 64 * 1024);
        await using (var batcher = new ServiceBusBatcher(sender, _ => { }))
            await SimulateCommand.SendPlanAsync(batcher, plan, "demo", rate: 0, Stopwatch.StartNew(), CancellationToken.None);

        var sent = sender.Batches.SelectMany(b => b).ToList();
        Assert.Equal(plan.Messages.Select(m => m.Body), sent.Select(m => m.Body.ToString()));
        Assert.Equal(sent.Count, sent.Select(m => m.MessageId).Distinct().Count());
        Assert.True(sender.Batches.Count > 1, "a plan larger than a batch takes several sends");
    }

    private static ServiceBusMessage Message(string id, int bytes) => new(new byte[bytes]) { MessageId = id };

    /// <summary>A sender whose batches hold what fits in <c>maxBatchBytes</c> of bodies, recording what it sends.</summary>
    private sealed class RecordingSender(long maxBatchBytes) : ServiceBusSender
    {
        private readonly Dictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> contents = [];

        public List<List<ServiceBusMessage>> Batches { get; } = [];

        public override string EntityPath => "receipts";

        public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default)
        {
            var store = new List<ServiceBusMessage>();
            var size = 0L;
            var batch = ServiceBusModelFactory.ServiceBusMessageBatch(0, store, new CreateMessageBatchOptions { MaxSizeInBytes = maxBatchBytes }, message =>
            {
                if (size + message.Body.ToMemory().Length > maxBatchBytes) return false;
                size += message.Body.ToMemory().Length;
                return true;
            });
            contents[batch] = store;
            return ValueTask.FromResult(batch);
        }

        public override Task SendMessagesAsync(ServiceBusMessageBatch messageBatch, CancellationToken cancellationToken = default)
        {
            Batches.Add([.. contents[messageBatch]]);
            return Task.CompletedTask;
        }
    }
}
