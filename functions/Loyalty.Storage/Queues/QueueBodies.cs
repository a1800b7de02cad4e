using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Loyalty.Storage.Queues;

/// <summary>
/// Message bodies as base64 on the wire, the Azure Functions queue convention, with a lenient receive. The SDK's
/// <c>MessageEncoding.Base64</c> throws a FormatException for a whole received batch when one message in it is plain
/// text (a POS that sends its JSON unencoded), and those messages would then never be read; so the queue clients are
/// built without an encoding and bodies are encoded and decoded here.
/// </summary>
public static class QueueBodies
{
    /// <summary>The service allows 64 KiB of message text; base64 turns 3 bytes into 4.</summary>
    public const int MaxBodyBytes = 48 * 1024;

    /// <param name="visibilityDelay">Hidden from receivers this long; null for visible at once.</param>
    /// <param name="timeToLive">Expires after this long; null for the service default (7 days).</param>
    /// <exception cref="ArgumentException">The body is over <see cref="MaxBodyBytes"/>; nothing was sent.</exception>
    public static async Task<SendReceipt> SendBodyAsync(this QueueClient queue, BinaryData body, TimeSpan? visibilityDelay = null, TimeSpan? timeToLive = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var bytes = body.ToMemory();
        if (bytes.Length > MaxBodyBytes)
        {
            throw new ArgumentException($"A queue message body is at most {MaxBodyBytes} bytes; this one is {bytes.Length}. Store " +
                "it in a blob and send its name.", nameof(body));
        }

        Response<SendReceipt> sent = await queue.SendMessageAsync(
            BinaryData.FromString(Convert.ToBase64String(bytes.Span)), visibilityDelay, timeToLive, cancellationToken);
        return sent.Value;
    }

    /// <summary>The bytes a message carries: its base64 decoded, or its text as it is when that is not base64.</summary>
    public static BinaryData DecodedBody(this QueueMessage message) => Decode(message.Body);

    /// <inheritdoc cref="DecodedBody(QueueMessage)"/>
    public static BinaryData DecodedBody(this PeekedMessage message) => Decode(message.Body);

    private static BinaryData Decode(BinaryData text)
    {
        var encoded = text.ToString();
        var buffer = new byte[encoded.Length * 3 / 4];
        return Convert.TryFromBase64String(encoded, buffer, out var written)
            ? new BinaryData(buffer.AsMemory(0, written))
            : text;
    }
}
