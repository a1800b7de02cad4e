namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Receipt ids are unique per program, but a receipt's idempotency record lives in its member's partition, which
/// only makes them unique per member. This claim, taken before applying, ties each id to the first member it was
/// applied to, so the same id sent with another member's card is refused rather than counted again.
/// </summary>
public interface IReceiptClaims
{
    /// <returns>The member holding the id: <paramref name="memberId"/> when the claim is new or was already theirs.</returns>
    Task<string> ClaimAsync(string programId, string receiptId, string memberId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <returns>The member holding the id, or null while nobody has claimed it.</returns>
    Task<string?> FindAsync(string programId, string receiptId, CancellationToken cancellationToken);
}
