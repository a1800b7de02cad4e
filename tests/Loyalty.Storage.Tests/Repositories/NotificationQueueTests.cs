using Loyalty.Core.Application.Ports;
using Azure.Storage.Queues.Models;
using Loyalty.Core.Application;
using Loyalty.Core.Events;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Queues;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests.Repositories;

/// <summary>The notifications queue adapter: a chunk's notifications in few messages, each within the queue's limit.</summary>
public sealed class NotificationQueueTests : LoyaltyStorageTest
{
    [Fact]
    public async Task A_job_chunk_of_notifications_arrives_whole_in_a_few_messages_within_the_size_limit()
    {
        // 250 deliveries of ~1 KB: too many for one 48 KiB message, so the packing is exercised on the real queue.
        var sent = Enumerable.Range(0, 250).Select(i => Delivery($"m{i:D11}", new string('x', 1_000))).ToList();

        await Port<INotificationQueue>().SendAsync(sent, default);

        var messages = new List<QueueMessage>();
        while ((await Storage.NotificationsQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1)))
            .Value is { Length: > 0 } received) messages.AddRange(received);
        Assert.InRange(messages.Count, 6, 10);
        Assert.All(messages, m => Assert.True(m.DecodedBody().ToMemory().Length <= QueueBodies.MaxBodyBytes));
        var arrived = messages.SelectMany(m => LoyaltyJson.Deserialize<NotificationBatch>(m.DecodedBody().ToString()).Notifications).ToList();
        Assert.Equal(sent.Select(n => n.Id).Order(), arrived.Select(n => n.Id).Order());
        Assert.Equal(sent.Select(n => n.Events.Single().Id).Order(), arrived.Select(n => n.Events.Single().Id).Order());
    }

    [Fact]
    public async Task A_one_time_code_leaves_the_queue_when_it_expires()
    {
        var at = Clock.GetUtcNow();
        var code = new Notification("zoo", "m00000000001", "code:abc", at,
            [new MemberCodeIssued("m00000000001/code:abc/member.code", "zoo", "m00000000001", DateOnly.FromDateTime(at.UtcDateTime), "sms", "+46701234567",
                "123456", null, at.AddMinutes(10))]);

        await Port<INotificationQueue>().SendAsync([code], default);

        var message = Assert.Single((await Storage.NotificationsQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value);
        Assert.InRange((message.ExpiresOn - message.InsertedOn)!.Value, TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)
            + TimeSpan.FromSeconds(1));
    }

    private Notification Delivery(string memberId, string text)
    {
        var at = Clock.GetUtcNow();
        return new Notification("zoo", memberId, "campaign:advent:20261201T0800", at,
            [new CampaignDelivered($"{memberId}/campaign:advent:20261201T0800/campaign.delivered", "zoo", memberId, DateOnly.FromDateTime(at.UtcDateTime),
                "advent", "20261201T0800", ConsentChannel.Email, text, "ADVENT10", null, 0)]);
    }
}
