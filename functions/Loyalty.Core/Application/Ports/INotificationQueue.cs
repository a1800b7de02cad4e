using Loyalty.Core.Events;

namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Where member notifications go (the <c>notifications</c> queue, as <see cref="NotificationBatch"/> messages). Delivery
/// is at least once: a crash between sending and clearing the outbox sends the same <see cref="Notification.Id"/>
/// again, so consumers drop ids they have seen.
/// </summary>
public interface INotificationQueue
{
    /// <summary>Sends all of <paramref name="notifications"/> in as few messages as the queue allows, or throws; after a
    /// failure some may have been sent, and sending them all again is the way to finish.</summary>
    Task SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken);
}
