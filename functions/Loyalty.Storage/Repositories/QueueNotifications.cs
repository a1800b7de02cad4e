using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Queues;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// One <c>loyalty.notification.v1</c> message per operation on the notifications queue. Storage queues do not drop
/// duplicates, so the message carries its stable id for the consumer to do so.
/// </summary>
internal sealed class QueueNotifications(QueueClient queue) : INotificationQueue
{
    public async Task SendAsync(Notification notification, CancellationToken cancellationToken) =>
        await queue.SendAsync(LoyaltyJson.Serialize(notification), timeToLive: TimeToLive(notification), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>A one-time code is useless once it has expired and must not linger in clear: it leaves the queue then.</summary>
    private static TimeSpan? TimeToLive(Notification notification) =>
        notification.Events.OfType<MemberCodeIssued>().Select(code => code.ExpiresAt - notification.At).Cast<TimeSpan?>().Min();
}
