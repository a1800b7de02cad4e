using Loyalty.Core.Application.Receipts;

namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Receipts whose member identifier belongs to no member yet (a till scanned a phone number before the customer
/// enrolled). They wait here, per identity, and are applied when a member claims that identity.
/// </summary>
public interface IParkedReceiptStore
{
    /// <summary>Parks a receipt; parking the same receipt id again overwrites it.</summary>
    Task ParkAsync(IdentityKey identity, ParkedReceipt receipt, CancellationToken cancellationToken);

    Task<IReadOnlyList<ParkedReceipt>> ListAsync(IdentityKey identity, CancellationToken cancellationToken);

    /// <summary>A program's parked receipts, in identity order, after the cursor of the previous page.</summary>
    Task<CursorPage<ParkedReceipt>> ListProgramAsync(string programId, int pageSize, string? after, CancellationToken cancellationToken);

    /// <summary>The program's parked receipts with this receipt id (one, unless a till sent the id under two identifiers), in identity order.</summary>
    Task<IReadOnlyList<ParkedReceipt>> FindAsync(string programId, string receiptId, CancellationToken cancellationToken);

    /// <summary>
    /// The program's returns parked under their purchase's id (kind <see cref="IdentityKind.Purchase"/>): a range of
    /// partitions that holds only returns whose purchase has not landed yet, a few at a time and briefly.
    /// </summary>
    Task<IReadOnlyList<ParkedReceipt>> ListWaitingReturnsAsync(string programId, CancellationToken cancellationToken);

    Task DeleteAsync(IdentityKey identity, string receiptId, CancellationToken cancellationToken);
}
