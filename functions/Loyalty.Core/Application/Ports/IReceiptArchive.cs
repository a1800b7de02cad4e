namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Raw receipt payloads exactly as received, kept for audit and replay: queue messages and parked receipts in Blob storage,
/// a receipt applied alone in its member's own transaction (<see cref="MemberWrite.RawReceipt"/>).
/// </summary>
public interface IReceiptArchive
{
    /// <summary>
    /// Stores <paramref name="payload"/> under a name derived from the program, the day and <paramref name="name"/>;
    /// storing the same name again keeps the first payload (a redelivery is not a new receipt).
    /// </summary>
    /// <returns>Where it is, for the receipt's history.</returns>
    Task<string> StoreAsync(string programId, DateOnly day, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>The name under which the payload committed with receipt <paramref name="receiptId"/> of <paramref name="member"/> is read.</summary>
    string BesideMember(MemberKey member, string receiptId);

    /// <summary>The payload kept under <paramref name="archived"/> (a name <see cref="StoreAsync"/> returned) with its version; null when it is not
    /// there.</summary>
    Task<ArchivedPayload?> ReadAsync(string archived, CancellationToken cancellationToken);

    /// <summary>Replaces a payload of either kind (erasure rewrites it without the member's identifier) if it is still at <paramref name="version"/>.</summary>
    /// <returns>False when it changed or vanished since it was read.</returns>
    Task<bool> TryReplaceAsync(string archived, ReadOnlyMemory<byte> payload, string version, CancellationToken cancellationToken);
}

/// <param name="Version">Opaque version for <see cref="IReceiptArchive.TryReplaceAsync"/>.</param>
public sealed record ArchivedPayload(ReadOnlyMemory<byte> Content, string Version);
