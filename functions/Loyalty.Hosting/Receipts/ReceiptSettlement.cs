using Loyalty.Core.Application.Receipts;

namespace Loyalty.Hosting.Receipts;

public enum SettlementAction
{
    /// <summary>Done: remove the message (its rejected receipts are in the poison queue already).</summary>
    Complete,

    /// <summary>Give the message back, after <see cref="ReceiptSettlement.Pause"/>, for another delivery.</summary>
    Abandon,

    /// <summary>Move the message to the dead-letter queue with <see cref="ReceiptSettlement.Reason"/> and <see
    /// cref="ReceiptSettlement.Description"/>.</summary>
    DeadLetter,
}

/// <summary>
/// What the Service Bus trigger does with a <c>loyalty.receipt.v1</c> message once <see cref="ReceiptMessageHandler"/>
/// has answered or failed. Kept here, apart from the trigger, so the decisions are tested.
/// </summary>
public sealed record ReceiptSettlement(SettlementAction Action, TimeSpan Pause = default, string? Reason = null, string? Description = null)
{
    private const int MaxDescriptionLength = 1_000;

    /// <param name="retryDelay">Pause before giving back a message to retry later: this times its delivery count (5 s, 10 s, …).</param>
    public static ReceiptSettlement Of(MessageVerdict verdict, long deliveryCount, TimeSpan retryDelay)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Action switch
        {
            MessageAction.Complete => new ReceiptSettlement(SettlementAction.Complete),
            MessageAction.Poison => new ReceiptSettlement(SettlementAction.DeadLetter, Reason: "MalformedMessage",
            Description: Shorten(verdict.Reason ?? "The message cannot be handled.")),
            // The handler never answers RetryLater on the last delivery.
            _ => new ReceiptSettlement(SettlementAction.Abandon, retryDelay * deliveryCount),
        };
    }

    /// <summary>Handling threw (storage trouble, a shutdown): try again, unless this was the last delivery of a host still running.</summary>
    public static ReceiptSettlement Failed(Exception error, long deliveryCount, bool shuttingDown)
    {
        ArgumentNullException.ThrowIfNull(error);
        return deliveryCount >= ReceiptMessageHandler.MaxDeliveries && !shuttingDown
            ? new ReceiptSettlement(SettlementAction.DeadLetter, Reason: "ProcessingFailed", Description: Shorten($"{error.GetType().Name}: {error.Message}"))
            : new ReceiptSettlement(SettlementAction.Abandon);
    }

    private static string Shorten(string text) => text.Length <= MaxDescriptionLength ? text : text[..MaxDescriptionLength] + "…";
}
