using Azure.Messaging.ServiceBus;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Receipts;
using Loyalty.Hosting.Receipts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Receipts;

/// <summary>
/// POS receipts from the Service Bus queue "receipts", handled by the same <see cref="ReceiptMessageHandler"/> as the
/// local host's storage-queue worker. The function settles every message itself (AutoCompleteMessages = false, here and
/// in host.json) as <see cref="ReceiptSettlement"/> decides, so that rejected receipts are in the poison queue before
/// their message completes; what each verdict does: docs/deploy.md, 'Receipts settlement'. Applying receipts is
/// idempotent, so a redelivery after a crash at any point changes nothing twice.
/// </summary>
public sealed class ReceiptsQueueFunction(
    IReceiptService receipts, ProgramCache programs, ReceiptPoisonQueue poison, ILogger<ReceiptsQueueFunction> logger)
{
    /// <summary>Receipts of one message applied at once (as the local worker's default).</summary>
    private const int Parallelism = 8;

    /// <summary>Pause before giving a message back for a later try: this times its delivery count (5 s, 10 s, …).</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly ReceiptMessageHandler handler = new(receipts, programs);

    [Function(ReceiptsTrigger.FunctionName)]
    public async Task Run(
        [ServiceBusTrigger(ReceiptsTrigger.Queue, Connection = ReceiptsTrigger.Connection, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions messageActions,
        CancellationToken cancellationToken)
    {
        // Service Bus numbers deliveries from 1, as the handler expects. A message without an id is named by its sequence number.
        var messageId = string.IsNullOrEmpty(message.MessageId) ? $"seq-{message.SequenceNumber}" : message.MessageId;
        ReceiptSettlement settlement;
        try
        {
            var verdict = await handler.HandleAsync(message.Body.ToMemory(), messageId, message.DeliveryCount, Parallelism, cancellationToken);
            if (verdict.Action == MessageAction.Complete)
            {
                foreach (var rejected in verdict.Rejected)
                    await poison.WriteRejectedAsync(rejected, messageId, message.DeliveryCount, cancellationToken);
                if (verdict.Rejected.Count > 0)
                    logger.LogWarning(
                        "Receipts message {MessageId}: {Rejected} receipts rejected and written to the poison queue.", messageId, verdict.Rejected.Count);
            }

            settlement = ReceiptSettlement.Of(verdict, message.DeliveryCount, RetryDelay);
        }
        catch (Exception e)
        {
            settlement = ReceiptSettlement.Failed(e, message.DeliveryCount, cancellationToken.IsCancellationRequested);
            if (settlement.Action == SettlementAction.DeadLetter)
                logger.LogError(
                    e, "Receipts message {MessageId} failed on its last delivery ({DeliveryCount}); dead-lettering it.", messageId, message.DeliveryCount);
            else
                logger.LogWarning(
                    e, "Receipts message {MessageId} failed on delivery {DeliveryCount}; abandoning it for another try.", messageId, message.DeliveryCount);
            await SettleAsync(message, messageActions, settlement, cancellationToken);
            throw; // recorded as a failed invocation; the message is settled already
        }

        if (settlement.Action == SettlementAction.DeadLetter)
            logger.LogWarning("Receipts message {MessageId} is unusable and is dead-lettered: {Reason}", messageId, settlement.Description);
        await SettleAsync(message, messageActions, settlement, cancellationToken);
    }

    /// <summary>Settled with CancellationToken.None: a settlement cut short would leave the message locked until its lock expires.</summary>
    private static async Task SettleAsync(
        ServiceBusReceivedMessage message, ServiceBusMessageActions messageActions, ReceiptSettlement settlement, CancellationToken cancellationToken)
    {
        switch (settlement.Action)
        {
            case SettlementAction.Complete:
                await messageActions.CompleteMessageAsync(message, CancellationToken.None);
                break;
            case SettlementAction.DeadLetter:
                await messageActions.DeadLetterMessageAsync(message, deadLetterReason: settlement.Reason,
                    deadLetterErrorDescription: settlement.Description, cancellationToken: CancellationToken.None);
                break;
            default:
                await PauseAsync(settlement.Pause, cancellationToken);
                await messageActions.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
                break;
        }
    }

    /// <summary>Waits while the host keeps renewing the message lock; a shutdown ends the wait early.</summary>
    private static async Task PauseAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Give the message back at once.
        }
    }
}
