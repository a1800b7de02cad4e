using Loyalty.Storage.Queues;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests;

public sealed class QueueTests : AzuriteTest
{
    [Fact]
    public async Task Create_if_not_exists_twice_is_fine()
    {
        var queue = await CreateQueueAsync("twice");

        Assert.False(await queue.CreateIfNotExistsAsync());
        Assert.True(await queue.DeleteQueueAsync());
        Assert.False(await queue.DeleteQueueAsync());
    }

    [Fact]
    public async Task Send_receive_delete()
    {
        var queue = await CreateQueueAsync("basic");
        var sent = await queue.SendAsync("hello");

        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30)));
        var deleted = await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal("hello", received.Body.ToString());
        Assert.Equal(1, received.DequeueCount);
        Assert.True(received.NextVisibleOn > DateTimeOffset.UtcNow.AddSeconds(20));
        Assert.True(received.ExpiresOn > received.InsertedOn.AddDays(6));
        Assert.True(deleted);
        Assert.Empty(await queue.PeekAsync(32));
        Assert.False(await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt));
    }

    [Fact]
    public async Task Utf8_json_and_binary_bodies_round_trip()
    {
        var queue = await CreateQueueAsync("bodies");
        var json = """{"receipt":"r-1","store":"Malmö","items":["kaffe ☕","räksmörgås"],"emoji":"😀"}""";
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await queue.SendAsync(json);
        await queue.SendAsync(new BinaryData(binary));

        var messages = await queue.ReceiveAsync(2, TimeSpan.FromSeconds(30));

        Assert.Equal(json, messages[0].Body.ToString());
        Assert.Equal(binary, messages[1].Body.ToArray());
    }

    [Fact]
    public async Task Receive_returns_at_most_32_and_the_count_tracks_the_depth()
    {
        var queue = await CreateQueueAsync("many");
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => queue.SendAsync($"m{i}")));

        var countBefore = await queue.GetApproximateMessageCountAsync();
        var first = await queue.ReceiveAsync(32, TimeSpan.FromSeconds(30));
        var second = await queue.ReceiveAsync(32, TimeSpan.FromSeconds(30));
        await queue.DeleteMessageAsync(first[0].MessageId, first[0].PopReceipt);

        Assert.Equal(40, countBefore);
        Assert.Equal(32, first.Count);
        Assert.Equal(8, second.Count);
        Assert.Equal(40, first.Concat(second).Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(39, await queue.GetApproximateMessageCountAsync());
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.ReceiveAsync(33, TimeSpan.FromSeconds(1)).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Peek_does_not_hide_or_dequeue()
    {
        var queue = await CreateQueueAsync("peek");
        await queue.SendAsync("a");

        var peeked = Assert.Single(await queue.PeekAsync());
        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30)));

        Assert.Equal(peeked.MessageId, received.MessageId);
        Assert.Equal(0, peeked.DequeueCount);
        Assert.Equal("a", peeked.Body.ToString());
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_before_sending()
    {
        var queue = Account.GetQueue(UniqueName.Queue("never"));

        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendAsync(new BinaryData(new byte[QueueClient.MaxBodyBytes + 1])));
    }
}

/// <summary>The timing tests, in their own class so they run in parallel with the rest.</summary>
public sealed class QueueTimingTests : AzuriteTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task A_delayed_message_is_not_receivable_before_its_delay()
    {
        var queue = await CreateQueueAsync("delay");
        var sentAt = DateTimeOffset.UtcNow;
        await queue.SendAsync("later", visibilityDelay: TimeSpan.FromSeconds(1));

        var early = await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30));
        var message = await ReceiveWithinAsync(queue, Patience);

        Assert.Empty(early);
        Assert.Equal("later", message.Body.ToString());
        Assert.True(DateTimeOffset.UtcNow - sentAt >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task A_message_reappears_after_its_visibility_timeout_with_dequeue_count_2()
    {
        var queue = await CreateQueueAsync("timeout");
        await queue.SendAsync("retry me");

        var first = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(1)));
        var hidden = await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30));
        var again = await ReceiveWithinAsync(queue, Patience);

        Assert.Empty(hidden);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DequeueCount);
        Assert.NotEqual(first.PopReceipt, again.PopReceipt);
    }

    [Fact]
    public async Task Updating_visibility_returns_a_new_pop_receipt_and_controls_reappearance()
    {
        var queue = await CreateQueueAsync("update");
        await queue.SendAsync("x");
        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30)));

        var extended = await queue.UpdateVisibilityAsync(received.MessageId, received.PopReceipt, TimeSpan.FromSeconds(60));
        var released = await queue.UpdateVisibilityAsync(received.MessageId, extended.PopReceipt, TimeSpan.Zero);
        var again = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30)));

        Assert.NotEqual(received.PopReceipt, extended.PopReceipt);
        Assert.True(extended.NextVisibleOn > DateTimeOffset.UtcNow.AddSeconds(50));
        Assert.NotEqual(extended.PopReceipt, released.PopReceipt);
        Assert.Equal((received.MessageId, 2L), (again.MessageId, again.DequeueCount));
        Assert.True(await queue.DeleteMessageAsync(again.MessageId, again.PopReceipt));
    }

    [Fact]
    public async Task A_message_expires_after_its_time_to_live()
    {
        var queue = await CreateQueueAsync("ttl");
        var sent = await queue.SendAsync("short-lived", timeToLive: TimeSpan.FromSeconds(1));
        await queue.SendAsync("forever", timeToLive: Timeout.InfiniteTimeSpan);

        var deadline = DateTimeOffset.UtcNow + Patience;
        var remaining = await queue.PeekAsync(32);
        while (remaining.Count > 1 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(250);
            remaining = await queue.PeekAsync(32);
        }

        Assert.InRange(sent.ExpiresOn - sent.InsertedOn, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal("forever", Assert.Single(remaining).Body.ToString());
        Assert.True(remaining[0].ExpiresOn.Year >= 9999);
    }

    private static async Task<QueueMessage> ReceiveWithinAsync(QueueClient queue, TimeSpan patience)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        while (true)
        {
            var messages = await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30));
            if (messages.Count == 1)
            {
                return messages[0];
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"No message became visible within {patience}.");
            await Task.Delay(200);
        }
    }
}
