namespace Loyalty.Core.Application.Ports;

/// <summary>GDPR export documents (Blob storage), one per export, under the program and member.</summary>
public interface IExportStore
{
    /// <returns>Where the document is kept.</returns>
    Task<string> SaveAsync(string programId, string memberId, DateTimeOffset at, ReadOnlyMemory<byte> document, CancellationToken cancellationToken);

    /// <summary>Deletes every export of the member.</summary>
    /// <returns>How many were deleted.</returns>
    Task<int> DeleteAllAsync(string programId, string memberId, CancellationToken cancellationToken);
}
