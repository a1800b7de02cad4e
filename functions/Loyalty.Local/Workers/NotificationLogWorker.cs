using System.Diagnostics;
using System.Text.Json;
using Loyalty.Core.Events;
using Loyalty.Hosting;
using Loyalty.Local.DevMail;
using Loyalty.Storage.Repositories;
using Azure.Storage.Queues.Models;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Queues;

namespace Loyalty.Local.Workers;

/// <summary>
/// Stands in for the e-mail/SMS sender on a laptop: drains the notifications queue so the local queue stays shallow
/// (Azurite's queue operations slow down as the total number of stored messages grows), logging what it drained with
/// one-time codes masked, and keeps the last ones unmasked in the <see cref="DevMailbox"/> when that is on.
/// A burst (seeding enrols thousands, a campaign reaches thousands) is logged as its first <see cref="DetailedPerBurst"/>
/// notifications one per line and the rest as a count per kind, so the log stays readable.
/// <c>Notifications:LogWorker:Enabled</c> (default true) turns it off, for instance to inspect the queue or to run a
/// real sender against it.
/// </summary>
public sealed class NotificationLogWorker(LoyaltyStorage storage, ILogger<NotificationLogWorker> logger, TimeProvider time,
    DevMailbox? mailbox = null) : BackgroundService
{
    public const string EnabledKey = "Notifications:LogWorker:Enabled";
    public const int DetailedPerBurst = 10;

    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SummaryEvery = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, int> summarised = new(StringComparer.Ordinal);
    private int detailed;
    private int more;
    private long summaryStarted;

    /// <summary>Completes the first time the queue is found empty (everything queued before the start drained).</summary>
    public Task Idle => idle.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.NotificationsQueue;
        var delay = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                QueueMessage[] messages = await queue.ReceiveMessagesAsync(32, VisibilityTimeout, stoppingToken);
                if (messages.Length > 0)
                {
                    delay = TimeSpan.Zero;
                    foreach (var message in messages) Drain(message);
                    await Task.WhenAll(messages.Select(m => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, stoppingToken)));
                    if (Stopwatch.GetElapsedTime(summaryStarted) >= SummaryEvery) Summarise();
                    continue;
                }

                EndBurst();
                delay = delay == TimeSpan.Zero ? MinDelay : Min(delay * 2, MaxDelay);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                delay = Min(Max(delay * 2, MinDelay * 4), MaxErrorDelay);
                logger.LogWarning("Draining the notifications queue failed ({Error}); trying again in {Delay}.", StorageFailures.Describe(e), delay);
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        Summarise();
    }

    private void Drain(QueueMessage message)
    {
        try
        {
            using var json = JsonDocument.Parse(message.DecodedBody().ToMemory());
            if (!json.RootElement.TryGetProperty("notifications", out var notifications) || notifications.ValueKind != JsonValueKind.Array)
            {
                logger.LogWarning("Notification message {MessageId} is not a {Type}; dropped.", message.MessageId, NotificationBatch.MessageType);
                return;
            }
            var now = time.GetUtcNow();
            foreach (var notification in notifications.EnumerateArray())
            {
                mailbox?.Add(notification, now);
                Log(notification);
            }
        }
        catch (JsonException)
        {
            logger.LogWarning("Notification message {MessageId} is not JSON; dropped.", message.MessageId);
        }
    }

    private void Log(JsonElement notification)
    {
        if (notification.ValueKind != JsonValueKind.Object) return;
        var events = notification.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
        if (detailed < DetailedPerBurst)
        {
            detailed++;
            var id = notification.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : "?";
            logger.LogInformation("Notification {NotificationId}: {Kinds}", id, events.Count > 0 ? string.Join(", ", events.Select(Describe)) : "(no events)");
            return;
        }
        if (more++ == 0) summaryStarted = Stopwatch.GetTimestamp();
        foreach (var kind in events.Count > 0 ? events.Select(Kind) : ["(no events)"])
            summarised[kind] = summarised.GetValueOrDefault(kind) + 1;
    }

    private void EndBurst()
    {
        Summarise();
        detailed = 0;
        idle.TrySetResult();
    }

    private void Summarise()
    {
        if (more > 0)
        {
            var kinds = string.Join(", ", summarised.OrderByDescending(k => k.Value).Select(k => $"{k.Key} ×{k.Value}"));
            logger.LogInformation("…and {Count} more notifications ({Kinds}){Where}", more, kinds,
                mailbox is null ? "." : $"; the latest {mailbox.Capacity} are in the dev mailbox.");
        }
        more = 0;
        summarised.Clear();
        summaryStarted = Stopwatch.GetTimestamp();
    }

    private static string Kind(JsonElement @event) =>
        @event.ValueKind == JsonValueKind.Object && @event.TryGetProperty("kind", out var kind) ? kind.ToString() : "?";

    /// <summary>An event's kind; a one-time code's channel and masked destination, never the code or link (they would let anyone reading the log sign
    /// in).</summary>
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
