using System.Security.Cryptography;
using System.Text;
using Azure.Messaging.ServiceBus;
using Loyalty.Core.Application.Receipts;

namespace Loyalty.Cli.Pos;

/// <summary>
/// <c>loyalty.receipt.v1</c> messages as a POS puts them on the Service Bus queue: the same JSON bytes as on the storage
/// queue, and a <see cref="ServiceBusMessage.MessageId"/> that a resend of the same message repeats, so the queue's
/// duplicate detection drops the resend (receipt idempotency would make it harmless anyway, at the cost of the work).
/// </summary>
internal static class ServiceBusReceipts
{
    /// <summary>Service Bus refuses longer message ids.</summary>
    public const int MaxMessageIdLength = 128;

    private const int HashDigits = 16;

    public static ServiceBusMessage Message(BinaryData body, string programId, IReadOnlyList<string> receiptIds) =>
        new(body)
        {
            MessageId = MessageId(programId, receiptIds),
            ContentType = "application/json",
            Subject = ReceiptMessage.MessageType,
        };

    /// <summary>
    /// <c>{programId}:{receiptId}</c> for one receipt; for several, <c>{programId}:{first receipt id}+{how many more}:{hash}</c>,
    /// the hash over the program and all receipt ids in order.
    /// <list type="bullet">
    /// <item>The program is part of it because receipt ids are unique per program only, and one queue serves every program.</item>
    /// <item>Every receipt id enters it: a till that re-packs its backlog after a failure sends the first receipt again
    /// with different companions, and a message id of the first receipt alone would have that message dropped, its new
    /// receipts lost with it.</item>
    /// <item>The first receipt id keeps it readable where it shows up again: the raw archive's <c>queue-{messageId}.json</c>
    /// (a message with anonymous receipts) and the poison entries.</item>
    /// </list>
    /// Ids outside the contract's grammar (over 64 characters) could exceed <see cref="MaxMessageIdLength"/>; such a message
    /// is named by the hash alone, still the same on every resend, and the worker rejects its receipts as it would anyway.
    /// </summary>
    public static string MessageId(string programId, IReadOnlyList<string> receiptIds)
    {
        if (receiptIds.Count == 0) throw new ArgumentException("A message carries at least one receipt.", nameof(receiptIds));
        var readable = receiptIds.Count == 1
            ? $"{programId}:{receiptIds[0]}"
            : $"{programId}:{receiptIds[0]}+{receiptIds.Count - 1}:{Hash(programId, receiptIds)[..HashDigits]}";
        return readable.Length <= MaxMessageIdLength ? readable : $"sha256:{Hash(programId, receiptIds)}";
    }

    /// <summary>Lower-case hex SHA-256 of the program and receipt ids, one per line (ids cannot hold a line break).</summary>
    private static string Hash(string programId, IReadOnlyList<string> receiptIds) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', receiptIds.Prepend(programId)))));
}

/// <summary>
/// Packs messages into as few <see cref="ServiceBusMessageBatch"/>es as the queue takes and sends each when full:
/// the batch knows the queue's real limits (256 KiB a message and a batch on Standard, more on Premium), so nothing
/// here guesses them.
/// </summary>
/// <param name="sent">Called after each send with the receipts that batch carried.</param>
internal sealed class ServiceBusBatcher(ServiceBusSender sender, Action<int> sent) : IAsyncDisposable
{
    private ServiceBusMessageBatch? batch;
    private int receipts;

    /// <exception cref="MessageTooLargeException">Not even an empty batch takes the message.</exception>
    public async Task AddAsync(ServiceBusMessage message, int receiptCount, CancellationToken cancellationToken)
    {
        batch ??= await sender.CreateMessageBatchAsync(cancellationToken);
        if (!batch.TryAddMessage(message))
        {
            await FlushAsync(cancellationToken);
            batch = await sender.CreateMessageBatchAsync(cancellationToken);
            if (!batch.TryAddMessage(message))
                throw new MessageTooLargeException($"Message {message.MessageId} is {message.Body.ToMemory().Length:N0} bytes; with its headers it exceeds " +
                    $"the {batch.MaxSizeInBytes:N0} bytes {sender.EntityPath} takes.");
        }
        receipts += receiptCount;
    }

    /// <summary>Sends what has been added so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (batch is not { Count: > 0 }) return;
        await sender.SendMessagesAsync(batch, cancellationToken);
        sent(receipts);
        batch.Dispose();
        batch = null;
        receipts = 0;
    }

    /// <summary>Drops what was never flushed (a send that failed or was cancelled).</summary>
    public ValueTask DisposeAsync()
    {
        batch?.Dispose();
        return ValueTask.CompletedTask;
    }
}

internal sealed class MessageTooLargeException(string message) : Exception(message);
