using Loyalty.Core.Events;

namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Where member notifications go (the <c>notifications</c> queue). Delivery is at least once: a crash between sending
/// and clearing the outbox sends the same <see cref="Notification.Id"/> again, so consumers drop ids they have seen.
/// </summary>
public interface INotificationQueue
{
    Task SendAsync(Notification notification, CancellationToken cancellationToken);
}
