using Loyalty.Core.Serialization;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Receipts;

/// <summary>
/// Handles one <c>loyalty.receipt.v1</c> message for any queue host (the local storage-queue worker, the Service Bus
/// trigger in Azure): apply each receipt with its raw bytes, and tell the host what to do with the message.
/// Applying is idempotent per receipt, so a message handled again after a crash or a retry changes nothing twice.
/// The message's program is resolved once, for all its receipts. A receipt's bytes are archived in its member's
/// transaction, as a receipt sent over HTTP is, so the message costs no write of its own; only a message holding
/// anonymous receipts (no member's transaction to carry them) is archived whole, once.
/// </summary>
public sealed class ReceiptMessageHandler(IReceiptService receipts, ProgramCache programs)
{
    /// <summary>Deliveries before a receipt that still cannot be applied (its member stayed busy) is given up on.</summary>
    public const int MaxDeliveries = 5;

    /// <summary>
    /// Refusals that may resolve themselves within a few deliveries: the member was busy. A return ahead of its purchase
    /// is not one of them: the service parks it until the purchase lands, however long the purchase takes (a host
    /// holding the purchase may have crashed, and its message reappear only after its visibility timeout).
    /// </summary>
    private static readonly HashSet<string> Retryable = [ApplicationErrors.Busy];

    /// <param name="messageId">The queue's id for the message; names its archived copies.</param>
    /// <param name="deliveryCount">1 on the first delivery.</param>
    /// <param name="parallelism">Receipts of the message applied at once (receipts of one member then race and retry, which is safe).</param>
    public async Task<MessageVerdict> HandleAsync(
        ReadOnlyMemory<byte> body, string messageId, long deliveryCount, int parallelism, CancellationToken cancellationToken)
    {
        var parsed = StrictJson.Parse<ReceiptMessage>(body.Span);
        if (parsed.Value is not { } message)
            return MessageVerdict.Poison(parsed.IsSyntaxError ? parsed.Error! : $"{(parsed.Path is { Length: > 0 } path ? path : "message")}: {parsed.Error}");
        if (message.Type != ReceiptMessage.MessageType)
            return MessageVerdict.Poison($"type: expected '{ReceiptMessage.MessageType}', found '{message.Type}'.");
        if (message.Receipts.Any(r => r is null))
            return MessageVerdict.Poison("receipts: a receipt cannot be null.");
        if (message.Receipts.Count is 0 or > ReceiptMessage.MaxReceipts)
            return MessageVerdict.Poison($"receipts: a message carries 1 to {ReceiptMessage.MaxReceipts} receipts, this one {message.Receipts.Count}.");

        if (!ProgramService.IsProgramId(message.ProgramId))
            return MessageVerdict.Poison("programId: a program id has 1–40 lower-case letters, digits and '-'.");
        if (await programs.GetAsync(message.ProgramId, cancellationToken) is not { } program)
            return MessageVerdict.Poison($"programId: there is no program '{message.ProgramId}'.");
        var raw = ReceiptMessage.RawReceipts(body);
        var archived = message.Receipts.Any(r => r.Member is null)
            ? await receipts.ArchiveAsync(program, $"queue-{messageId}", body, cancellationToken)
            : null;
        var outcomes = new Result<ReceiptResult>[message.Receipts.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        // Purchases first, then returns: a till's offline batch often holds a purchase and its return.
        foreach (var returns in new[] { false, true })
        {
            var indexes = Enumerable.Range(0, outcomes.Length).Where(i => message.Receipts[i].ReturnOf is not null == returns);
            await Parallel.ForEachAsync(indexes, options,
                async (i, ct) => outcomes[i] = message.Receipts[i].Member is null
                    ? await receipts.ApplyAsync(program, message.Receipts[i], archived, ct)
                    : await receipts.ApplyRawAsync(program, message.Receipts[i], raw[i], ct));
        }

        var lastChance = deliveryCount >= MaxDeliveries;
        var rejected = new List<RejectedReceipt>();
        var retry = false;
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].IsValid) continue;
            var errors = outcomes[i].Errors;
            if (!lastChance && errors.All(e => Retryable.Contains(e.Code))) retry = true;
            else
            {
                // Kept for the operator who reads the poison queue; a rare write, only for a receipt given up on.
                var kept = archived ?? await receipts.ArchiveAsync(program, $"queue-{messageId}-{i}", raw[i], cancellationToken);
                rejected.Add(new RejectedReceipt(message.ProgramId, message.Receipts[i], errors, kept));
            }
        }
        // Retrying re-applies the whole message; the receipts applied already answer from their records.
        return retry
            ? new MessageVerdict(MessageAction.RetryLater, "Some receipts can be applied only later (a busy member).", [])
            : new MessageVerdict(MessageAction.Complete, null, rejected);
    }
}

public enum MessageAction
{
    /// <summary>Done: delete (complete) the message, after writing <see cref="MessageVerdict.Rejected"/> to the poison queue.</summary>
    Complete,

    /// <summary>Leave the message for a later delivery (abandon it, or let its visibility time out).</summary>
    RetryLater,

    /// <summary>The message itself is unusable: move it to the poison queue (dead-letter it) with the reason, at once.</summary>
    Poison,
}

public sealed record MessageVerdict(MessageAction Action, string? Reason, IReadOnlyList<RejectedReceipt> Rejected)
{
    public static MessageVerdict Poison(string reason) => new(MessageAction.Poison, reason, []);
}

/// <summary>A receipt of a good message that can never be applied as it is, with the reasons; it goes to the poison queue alone.</summary>
public sealed record RejectedReceipt(string ProgramId, PosReceipt Receipt, IReadOnlyList<ValidationError> Errors, string Archive);
