using Loyalty.Testing;
using System.Text;
using Loyalty.Hosting.Receipts;
using Loyalty.Storage.Queues;
using Xunit;
using Xunit.Abstractions;

namespace Loyalty.Local.Tests;

public sealed class ReceiptPoisonQueueTests(ITestOutputHelper output) : WorkerTest(output)
{
    [Fact]
    public async Task A_message_too_large_to_carry_in_its_poison_entry_is_kept_in_the_receipts_container_instead()
    {
        // Under the queue's limit itself, but every quote doubles in size once escaped into the entry.
        var body = new string('"', QueueBodies.MaxBodyBytes - 100);
        var poison = new ReceiptPoisonQueue(Backend.Storage);

        await poison.WriteMessageAsync(Encoding.UTF8.GetBytes(body), "big-1", 3, "Invalid JSON near line 1, position 2.", CancellationToken.None);

        var entry = Assert.Single(await PoisonEntriesAsync());
        Assert.False(entry.TryGetProperty("body", out _));
        Assert.Equal(3, entry.GetProperty("deliveryCount").GetInt64());
        Assert.Equal("Invalid JSON near line 1, position 2.", entry.GetProperty("reason").GetString());
        var container = Backend.Storage.Names.ReceiptsContainer;
        Assert.Equal($"{container}/poison/big-1.txt", entry.GetProperty("archive").GetString());
        Assert.Contains("archive", entry.GetProperty("note").GetString());
        var stored = (await Backend.Storage.Account.GetContainer(container).GetBlobClient("poison/big-1.txt").DownloadContentAsync()).Value;
        Assert.Equal(body, stored.Content.ToString());
    }

    [Fact]
    public async Task A_small_message_is_carried_in_its_poison_entry()
    {
        var poison = new ReceiptPoisonQueue(Backend.Storage);

        await poison.WriteMessageAsync(Encoding.UTF8.GetBytes("{\"programId\":\"zoo\",\"type\":\"x\"}"), "small-1", 1,
            "type: expected 'loyalty.receipt.v1', found 'x'.", CancellationToken.None);

        var entry = Assert.Single(await PoisonEntriesAsync());
        Assert.Equal("{\"programId\":\"zoo\",\"type\":\"x\"}", entry.GetProperty("body").GetString());
        Assert.Equal("zoo", entry.GetProperty("programId").GetString());
        Assert.Equal("small-1", entry.GetProperty("messageId").GetString());
        Assert.False(entry.TryGetProperty("archive", out _));
    }
}
