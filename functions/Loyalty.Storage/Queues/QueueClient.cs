using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Loyalty.Storage.Accounts;

namespace Loyalty.Storage.Queues;

/// <summary>
/// One storage queue. Bodies are arbitrary bytes, sent base64-encoded (the convention Azure Functions
/// queue triggers also use). Cheap to create; thread-safe.
/// </summary>
public sealed class QueueClient
{
    /// <summary>The service allows 64 KiB of message text; base64 turns 3 bytes into 4.</summary>
    public const int MaxBodyBytes = 48 * 1024;

    private static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    private readonly StorageService service;
    private readonly string path;

    internal QueueClient(StorageService service, string name)
    {
        this.service = service;
        Name = ResourceNames.QueueOrContainer(name, "queue");
        path = "/" + Name;
    }

    public string Name { get; }

    /// <returns>True if the queue was created, false if it already existed.</returns>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = service.CreateMessage(RequestMethod.Put, path);
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);

        // 201 created, 204 already there with the same (empty) metadata.
        return StorageService.SucceededOrExpected(response, 409, "QueueAlreadyExists") && response.Status == 201;
    }

    /// <returns>True if the queue was deleted, false if it did not exist.</returns>
    public async Task<bool> DeleteQueueAsync(CancellationToken cancellationToken = default)
    {
        using var message = service.CreateMessage(RequestMethod.Delete, path);
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return StorageService.SucceededOrExpected(response, 404, null);
    }

    public Task<SendReceipt> SendAsync(string body, TimeSpan? visibilityDelay = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default) =>
        SendAsync(BinaryData.FromString(body), visibilityDelay, timeToLive, cancellationToken);

    /// <param name="visibilityDelay">Hidden from receivers this long (0 to 7 days, whole seconds rounded up).</param>
    /// <param name="timeToLive">Expires after this long; null for the service default (7 days),
    /// <see cref="Timeout.InfiniteTimeSpan"/> for never.</param>
    public async Task<SendReceipt> SendAsync(BinaryData body, TimeSpan? visibilityDelay = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var bytes = body.ToMemory();
        if (bytes.Length > MaxBodyBytes)
        {
            throw new ArgumentException($"A queue message body is at most {MaxBodyBytes} bytes; this one is {bytes.Length}. Store it in a blob and send its name.", nameof(body));
        }

        using var message = service.CreateMessage(RequestMethod.Post, path + "/messages");
        if (visibilityDelay is { } delay)
        {
            message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(delay, TimeSpan.Zero, nameof(visibilityDelay)));
        }

        if (timeToLive is { } ttl)
        {
            message.Request.Uri.AppendQuery("messagettl", ttl == Timeout.InfiniteTimeSpan ? "-1" : Seconds(ttl, TimeSpan.FromSeconds(1), nameof(timeToLive), TimeSpan.MaxValue));
        }

        var xml = $"<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>{Convert.ToBase64String(bytes.Span)}</MessageText></QueueMessage>";
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(xml));

        var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        var sent = Messages(response).Single();
        return new SendReceipt(
            Text(sent, "MessageId"),
            Text(sent, "PopReceipt"),
            Time(sent, "InsertionTime"),
            Time(sent, "ExpirationTime"),
            Time(sent, "TimeNextVisible"));
    }

    /// <summary>Receives up to <paramref name="maxMessages"/> messages and hides them for <paramref name="visibilityTimeout"/>.</summary>
    /// <param name="visibilityTimeout">1 s to 7 days, whole seconds rounded up; delete before it ends or the message reappears.</param>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        using var message = service.CreateMessage(RequestMethod.Get, path + "/messages");
        message.Request.Uri.AppendQuery("numofmessages", Count(maxMessages));
        message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(visibilityTimeout, TimeSpan.FromSeconds(1), nameof(visibilityTimeout)));
        var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        return Messages(response)
            .Select(m => new QueueMessage(
                Text(m, "MessageId"),
                Text(m, "PopReceipt"),
                long.Parse(Text(m, "DequeueCount"), CultureInfo.InvariantCulture),
                Time(m, "InsertionTime"),
                Time(m, "ExpirationTime"),
                Time(m, "TimeNextVisible"),
                Body(m)))
            .ToList();
    }

    /// <summary>Up to <paramref name="maxMessages"/> visible messages, without hiding or dequeuing them.</summary>
    public async Task<IReadOnlyList<PeekedMessage>> PeekAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        using var message = service.CreateMessage(RequestMethod.Get, path + "/messages");
        message.Request.Uri.AppendQuery("peekonly", "true");
        message.Request.Uri.AppendQuery("numofmessages", Count(maxMessages));
        var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        return Messages(response)
            .Select(m => new PeekedMessage(
                Text(m, "MessageId"),
                long.Parse(Text(m, "DequeueCount"), CultureInfo.InvariantCulture),
                Time(m, "InsertionTime"),
                Time(m, "ExpirationTime"),
                Body(m)))
            .ToList();
    }

    /// <returns>True if deleted, false if the message was already gone.</returns>
    public async Task<bool> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = MessageRequest(RequestMethod.Delete, messageId, popReceipt);
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return StorageService.SucceededOrExpected(response, 404, null);
    }

    /// <summary>Hides a received message for <paramref name="visibilityTimeout"/> from now (0 makes it visible at once).</summary>
    public async Task<VisibilityUpdate> UpdateVisibilityAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        using var message = MessageRequest(RequestMethod.Put, messageId, popReceipt);
        message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(visibilityTimeout, TimeSpan.Zero, nameof(visibilityTimeout)));
        var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        return new VisibilityUpdate(
            response.Headers.TryGetValue("x-ms-popreceipt", out var receipt) ? receipt : throw new InvalidOperationException("The Queue service returned no pop receipt."),
            response.Headers.TryGetValue("x-ms-time-next-visible", out var next) ? ParseTime(next) : DateTimeOffset.UtcNow + visibilityTimeout);
    }

    /// <summary>The service's approximate message count (it may lag behind recent sends and deletes).</summary>
    public async Task<int> GetApproximateMessageCountAsync(CancellationToken cancellationToken = default)
    {
        using var message = service.CreateMessage(RequestMethod.Get, path);
        message.Request.Uri.AppendQuery("comp", "metadata");
        var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count)
            ? int.Parse(count, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("The Queue service returned no approximate message count.");
    }

    public override string ToString() => $"Queue {Name} at {service.Endpoint}";

    private HttpMessage MessageRequest(RequestMethod method, string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var message = service.CreateMessage(method, $"{path}/messages/{Uri.EscapeDataString(messageId)}");
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        return message;
    }

    private static IEnumerable<XElement> Messages(Response response) =>
        XDocument.Load(response.Content.ToStream()).Root?.Elements("QueueMessage") ?? [];

    private static string Text(XElement message, string name) =>
        message.Element(name)?.Value ?? throw new InvalidOperationException($"The Queue service's message lacks {name}.");

    private static DateTimeOffset Time(XElement message, string name) => ParseTime(Text(message, name));

    private static DateTimeOffset ParseTime(string rfc1123) =>
        DateTimeOffset.ParseExact(rfc1123, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    // Text that is not base64 came from another producer; it is passed on as its UTF-8 bytes.
    private static BinaryData Body(XElement message)
    {
        var text = Text(message, "MessageText");
        var buffer = new byte[text.Length * 3 / 4];
        return Convert.TryFromBase64String(text, buffer, out var written)
            ? new BinaryData(buffer.AsMemory(0, written))
            : BinaryData.FromString(text);
    }

    private static string Count(int maxMessages) =>
        maxMessages is >= 1 and <= 32
            ? maxMessages.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, "Between 1 and 32 messages per call.");

    private static string Seconds(TimeSpan value, TimeSpan min, string parameter, TimeSpan? max = null)
    {
        if (value < min || value > (max ?? MaxVisibility))
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"Must be between {min} and {max ?? MaxVisibility}.");
        }

        return Math.Min((long)Math.Ceiling(value.TotalSeconds), int.MaxValue).ToString(CultureInfo.InvariantCulture);
    }
}
