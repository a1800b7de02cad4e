namespace Loyalty.Core.Application.Ports;

/// <summary>Raw receipt payloads exactly as received, kept for audit and replay (Blob storage).</summary>
public interface IReceiptArchive
{
    /// <summary>
    /// Stores <paramref name="payload"/> under a name derived from the program, the day and <paramref name="name"/>;
    /// storing the same name again keeps the first payload (a redelivery is not a new receipt).
    /// </summary>
    /// <returns>Where it is, for the receipt's history.</returns>
    Task<string> StoreAsync(string programId, DateOnly day, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
