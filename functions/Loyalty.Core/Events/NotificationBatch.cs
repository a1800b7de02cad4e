using System.Text;
using Loyalty.Core.Serialization;

namespace Loyalty.Core.Events;

/// <summary>
/// One message on the notifications queue (<c>loyalty.notifications.v1</c>): one or more <see cref="Notification"/>s.
/// A batch job writes a hundred members per transaction; one queue message per member made sending them most of the
/// job's time, so a chunk's notifications travel together, as many per message as the queue's size limit allows.
/// </summary>
public sealed record NotificationBatch(IReadOnlyList<Notification> Notifications)
{
    public const string MessageType = "loyalty.notifications.v1";

    public string Type => MessageType;

    /// <summary>
    /// Splits <paramref name="notifications"/>, in order, into as few messages of at most <paramref name="maxBytes"/>
    /// UTF-8 bytes as a greedy fill gives; a notification too big for a message on its own goes alone (the queue
    /// refuses it, and that failure belongs to that notification only).
    /// </summary>
    public static IEnumerable<(NotificationBatch Batch, string Json)> Pack(IReadOnlyList<Notification> notifications, int maxBytes)
    {
        var envelope = Encoding.UTF8.GetByteCount(LoyaltyJson.Serialize(new NotificationBatch([])));
        var current = new List<Notification>();
        var size = envelope;
        foreach (var notification in notifications)
        {
            var bytes = Encoding.UTF8.GetByteCount(LoyaltyJson.Serialize(notification)) + (current.Count == 0 ? 0 : 1);
            if (current.Count > 0 && size + bytes > maxBytes)
            {
                yield return Message(current);
                current = [];
                size = envelope;
                bytes--;
            }
            current.Add(notification);
            size += bytes;
        }
        if (current.Count > 0) yield return Message(current);
    }

    private static (NotificationBatch, string) Message(List<Notification> notifications)
    {
        var batch = new NotificationBatch(notifications);
        return (batch, LoyaltyJson.Serialize(batch));
    }
}
