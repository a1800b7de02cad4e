using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Azure.Storage.Queues;
using Loyalty.Storage.Queues;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// <c>loyalty.notifications.v1</c> messages on the notifications queue, each as full as the queue's size limit allows.
/// Storage queues do not drop duplicates, so every notification carries its stable id for the consumer to do so.
/// </summary>
internal sealed class QueueNotifications(QueueClient queue) : INotificationQueue
{
    /// <summary>A chunk's hundred notifications fit in two or three messages; a few at once keeps the wait short.</summary>
    private const int SendParallelism = 4;

    public async Task SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            NotificationBatch.Pack(notifications, QueueBodies.MaxBodyBytes),
            new ParallelOptions { MaxDegreeOfParallelism = SendParallelism, CancellationToken = cancellationToken },
            async (message, ct) =>
                await queue.SendBodyAsync(BinaryData.FromString(message.Json), timeToLive: TimeToLive(message.Batch), cancellationToken: ct));

    /// <summary>A one-time code is useless once it has expired and must not linger in clear: it leaves the queue then.</summary>
    private static TimeSpan? TimeToLive(NotificationBatch batch) =>
        batch.Notifications.SelectMany(n => n.Events.OfType<MemberCodeIssued>().Select(code => code.ExpiresAt - n.At)).Cast<TimeSpan?>().Min();
}
