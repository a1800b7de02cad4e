using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loyalty.Core.Application;
using Loyalty.Core.Events;
using Loyalty.Core.Serialization;

namespace Loyalty.Core.Tests;

/// <summary>How notifications are packed into notifications queue messages (<see cref="NotificationBatch.Pack"/>).</summary>
public class NotificationBatchTests
{
    private static readonly DateTimeOffset At = new(2027, 1, 1, 1, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 200)]
    public Property Every_notification_goes_once_in_order_and_no_message_is_over_the_limit_unless_it_holds_one_too_big_alone() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 3_000)).ToArbitrary(), Gen.Choose(300, 20_000).ToArbitrary(), (lengths, limit) =>
        {
            var notifications = lengths.Select(Delivery).ToList();
            var messages = NotificationBatch.Pack(notifications, limit).ToList();

            Assert.Equal(notifications.Select(n => n.Id), messages.SelectMany(m => m.Batch.Notifications).Select(n => n.Id));
            foreach (var (batch, json) in messages)
            {
                Assert.Equal(LoyaltyJson.Serialize(batch), json);
                Assert.True(Encoding.UTF8.GetByteCount(json) <= limit || batch.Notifications.Count == 1,
                    $"{batch.Notifications.Count} notifications in {Encoding.UTF8.GetByteCount(json)} bytes, over {limit}");
            }
            // Greedy: no message could have taken the next one's first notification too.
            for (var i = 0; i + 1 < messages.Count; i++)
            {
                var joined = new NotificationBatch([.. messages[i].Batch.Notifications, messages[i + 1].Batch.Notifications[0]]);
                Assert.True(Encoding.UTF8.GetByteCount(LoyaltyJson.Serialize(joined)) > limit);
            }
        });

    [Fact]
    public void A_chunk_of_a_hundred_campaign_notifications_takes_few_messages_of_the_queue_limit()
    {
        var messages = NotificationBatch.Pack([.. Enumerable.Range(0, 100).Select(_ => Delivery(160))], 48 * 1024).ToList();
        Assert.InRange(messages.Count, 1, 2);
        Assert.Equal(100, messages.Sum(m => m.Batch.Notifications.Count));
        var read = LoyaltyJson.Deserialize<NotificationBatch>(messages[0].Json);
        Assert.Equal(NotificationBatch.MessageType, read.Type);
        Assert.Equal(messages[0].Batch.Notifications.Select(n => n.Id), read.Notifications.Select(n => n.Id));
    }

    [Fact]
    public void Nothing_to_send_is_no_message() => Assert.Empty(NotificationBatch.Pack([], 48 * 1024));

    private static int counter;

    /// <summary>A campaign delivery whose rendered message has <paramref name="length"/> characters, some outside ASCII.</summary>
    private static Notification Delivery(int length)
    {
        var member = $"m{Interlocked.Increment(ref counter):D11}";
        var message = string.Concat(Enumerable.Range(0, length).Select(i => i % 7 == 0 ? 'ö' : 'a'));
        return new Notification("demo", member, "campaign:advent:20271201T0800", At,
            [new CampaignDelivered($"{member}/campaign:advent:20271201T0800/campaign.delivered", "demo", member, DateOnly.FromDateTime(At.UtcDateTime),
            "advent", "20271201T0800",
                ConsentChannel.Email, message, null, null, 0)]);
    }
}
