using Azure.Storage.Queues;
using Loyalty.Storage.Queues;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests.Sdk;

public sealed class QueueContractTests : AzuriteTest
{
    [Fact]
    public async Task Bodies_are_base64_on_the_wire_and_plain_text_in_the_same_batch_still_reads()
    {
        var queue = await CreateQueueAsync("bodies");
        await queue.SendBodyAsync(BinaryData.FromString("""{"n":1,"store":"Göteborg"}"""));
        await queue.SendMessageAsync("""{"n":2}""");
        await queue.SendBodyAsync(BinaryData.FromBytes([0, 1, 250, 255]));

        // With the SDK's MessageEncoding.Base64 the plain one fails the whole receive (the batch is hidden all the same).
        var strict = new QueueClient(Azurite.ConnectionString, queue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await Assert.ThrowsAsync<FormatException>(() => strict.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1)));
        var received = await ReceiveAllAsync(queue, 3);

        Assert.Equal(3, received.Length);
        Assert.Equal(Convert.ToBase64String("""{"n":1,"store":"Göteborg"}"""u8), received[0].Body.ToString());
        Assert.Equal("""{"n":1,"store":"Göteborg"}""", received[0].DecodedBody().ToString());
        Assert.Equal("""{"n":2}""", received[1].DecodedBody().ToString());
        Assert.Equal([0, 1, 250, 255], received[2].DecodedBody().ToArray());
    }

    private static async Task<Azure.Storage.Queues.Models.QueueMessage[]> ReceiveAllAsync(QueueClient queue, int count)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (true)
        {
            var received = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
            if (received.Length == count || DateTimeOffset.UtcNow > deadline) return received;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_before_sending()
    {
        var queue = Account.GetQueue(UniqueName.Queue("never"));

        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendBodyAsync(BinaryData.FromBytes(new byte[QueueBodies.MaxBodyBytes + 1])));
    }

    [Fact]
    public async Task The_largest_body_fits_the_service_once_encoded()
    {
        var queue = await CreateQueueAsync("largest");

        await queue.SendBodyAsync(BinaryData.FromBytes(new byte[QueueBodies.MaxBodyBytes]));

        Assert.Equal(QueueBodies.MaxBodyBytes, Assert.Single((await queue.ReceiveMessagesAsync(1)).Value).DecodedBody().ToMemory().Length);
    }

    [Fact]
    public async Task A_message_reappears_after_its_visibility_and_counts_its_deliveries()
    {
        var queue = await CreateQueueAsync("visibility");
        await queue.SendBodyAsync(BinaryData.FromString("retry me"));

        var first = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);
        var hidden = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value;
        var released = (await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, (BinaryData?)null, TimeSpan.Zero)).Value;
        var again = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);

        Assert.Empty(hidden);
        Assert.NotEqual(first.PopReceipt, released.PopReceipt);
        Assert.Equal((first.MessageId, 1L, 2L), (again.MessageId, first.DequeueCount, again.DequeueCount));
        Assert.Equal("retry me", again.DecodedBody().ToString());
        await queue.DeleteMessageAsync(again.MessageId, again.PopReceipt);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
