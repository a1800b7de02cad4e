using System.Collections.Concurrent;
using System.Text;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Queues;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// The notifications queue: <c>loyalty.notifications.v1</c> messages packed as the queue store packs them (as full as
/// 48 KiB of body allows), one send each. Taking them off counts a receive per 32 and a delete per message, as a consumer does.
/// </summary>
public sealed class InMemoryNotificationQueue(StorageRequests requests) : INotificationQueue
{
    private const int ReceiveBatch = 32;

    private readonly ConcurrentQueue<byte[]> messages = new();

    public int Count => messages.Count;

    public Task SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
    {
        foreach (var (_, json) in NotificationBatch.Pack(notifications, QueueBodies.MaxBodyBytes))
        {
            requests.Count(StorageRequests.Kinds.QueueSend);
            messages.Enqueue(Encoding.UTF8.GetBytes(json));
        }
        return Task.CompletedTask;
    }

    /// <summary>Every message now on the queue, taken off: how many, and the notifications they held.</summary>
    public (int Messages, IReadOnlyList<Notification> Notifications) Drain()
    {
        var (count, found) = (0, new List<Notification>());
        while (true)
        {
            requests.Count(StorageRequests.Kinds.QueueReceive);
            var received = 0;
            while (received < ReceiveBatch && messages.TryDequeue(out var body))
            {
                received++;
                requests.Count(StorageRequests.Kinds.QueueDelete);
                found.AddRange(LoyaltyJson.Deserialize<NotificationBatch>(Encoding.UTF8.GetString(body)).Notifications);
            }
            count += received;
            if (received == 0) return (count, found);
        }
    }
}

/// <summary>A blob container: named bytes, a write or read per request, listings in pages of 5,000 names.</summary>
public sealed class InMemoryBlobs(string name, StorageRequests requests)
{
    private const int ListPage = 5000;
    private readonly ConcurrentDictionary<string, byte[]> blobs = new(StringComparer.Ordinal);
    private long bytes;

    public string Name { get; } = name;

    /// <summary>The blobs' contents, kept as they are written.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    public void Write(string blob, byte[] content)
    {
        requests.Count(StorageRequests.Kinds.BlobWrite);
        var before = 0;
        blobs.AddOrUpdate(blob, content, (_, old) =>
        {
            before = old.Length;
            return content;
        });
        Interlocked.Add(ref bytes, content.Length - before);
    }

    public byte[]? Read(string blob)
    {
        requests.Count(StorageRequests.Kinds.BlobRead);
        return blobs.GetValueOrDefault(blob);
    }

    public IReadOnlyList<string> List(string prefix)
    {
        var names = blobs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        for (var page = 0; page < Math.Max(1, (names.Count + ListPage - 1) / ListPage); page++) requests.Count(StorageRequests.Kinds.BlobList);
        return names;
    }
}
