namespace Loyalty.Core.StampCards;

/// <summary>
/// Stamps that land on a household member's card instead of the buyer's. The buyer's transition returns it;
/// the caller applies it to the recipient with <see cref="Members.MemberBook.ApplyStampTransfer"/>. A return
/// produces a transfer with negative stamps and <see cref="Reverses"/> set to the original receipt id.
/// </summary>
public sealed record StampTransfer(string FromMemberId, string ReceiptId, string ToMemberId, string CardId, int Stamps, DateOnly On, string? Reverses = null)
{
    /// <summary>The idempotency key on the recipient's book.</summary>
    public string OperationId => $"stamps:{ReceiptId}:{CardId}";
}
