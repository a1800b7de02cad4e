using System.Text.Json;
using Loyalty.Core.Events;
using Loyalty.Hosting;
using Loyalty.Storage.Queues;

namespace Loyalty.Local.Workers;

/// <summary>
/// Stands in for the e-mail/SMS sender on a laptop: drains the notifications queue, logging one line per notification
/// in its <c>loyalty.notifications.v1</c> messages (its id and event kinds; one-time codes masked), so the local queue
/// stays shallow (Azurite's queue operations slow down as the total number of stored messages grows). <c>Notifications:LogWorker:Enabled</c>
/// (default true) turns it off, for instance to inspect the queue or to run a real sender against it.
/// </summary>
public sealed class NotificationLogWorker(LoyaltyBackend backend, ILogger<NotificationLogWorker> logger) : BackgroundService
{
    public const string EnabledKey = "Notifications:LogWorker:Enabled";

    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = backend.Storage.NotificationsQueue;
        var delay = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = await queue.ReceiveAsync(32, VisibilityTimeout, stoppingToken).ConfigureAwait(false);
                if (messages.Count > 0)
                {
                    delay = TimeSpan.Zero;
                    foreach (var message in messages) Log(message);
                    await Task.WhenAll(messages.Select(m => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, stoppingToken))).ConfigureAwait(false);
                    continue;
                }

                delay = delay == TimeSpan.Zero ? MinDelay : Min(delay * 2, MaxDelay);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                delay = Min(Max(delay * 2, MinDelay * 4), MaxErrorDelay);
                logger.LogWarning("Draining the notifications queue failed ({Error}); trying again in {Delay}.", e.Message, delay);
            }

            try
            {
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Log(QueueMessage message)
    {
        try
        {
            using var json = JsonDocument.Parse(message.Body.ToMemory());
            if (!json.RootElement.TryGetProperty("notifications", out var notifications) || notifications.ValueKind != JsonValueKind.Array)
            {
                logger.LogWarning("Notification message {MessageId} is not a {Type}; dropped.", message.MessageId, NotificationBatch.MessageType);
                return;
            }
            foreach (var notification in notifications.EnumerateArray()) Log(notification);
        }
        catch (JsonException)
        {
            logger.LogWarning("Notification message {MessageId} is not JSON; dropped.", message.MessageId);
        }
    }

    private void Log(JsonElement notification)
    {
        if (notification.ValueKind != JsonValueKind.Object) return;
        var id = notification.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : "?";
        var kinds = notification.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array
            ? string.Join(", ", events.EnumerateArray().Select(Describe))
            : "";
        logger.LogInformation("Notification {NotificationId}: {Kinds}", id, kinds.Length > 0 ? kinds : "(no events)");
    }

    /// <summary>An event's kind; a one-time code's channel and masked destination, never the code or link (they would let anyone reading the log sign in).</summary>
    private static string Describe(JsonElement @event)
    {
        if (@event.ValueKind != JsonValueKind.Object || !@event.TryGetProperty("kind", out var kind)) return "?";
        return kind.ValueEquals("member.code") && @event.TryGetProperty("channel", out var channel) && @event.TryGetProperty("destination", out var destination)
            ? $"member.code ({channel} to {MemberCodeIssued.Mask(destination.ToString())}, code ******)"
            : kind.ToString();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
