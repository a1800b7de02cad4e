using System.Globalization;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Blobs;
using Loyalty.Storage.Errors;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Raw receipt payloads as <c>{program}/{yyyy}/{MM}/{dd}/{name}.json</c> in the receipts container, written
/// create-only: a redelivered message or a resent receipt finds its first payload in place and keeps it.
/// </summary>
internal sealed class BlobReceiptArchive(BlobContainerClient container) : IReceiptArchive
{
    public async Task<string> StoreAsync(string programId, DateOnly day, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var blob = $"{programId}/{day.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture)}/{KeyText.Escape(name)}.json";
        try
        {
            await container.UploadAsync(blob, BinaryData.FromBytes(payload), "application/json", BlobConditions.CreateOnly, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Stored by an earlier delivery.
        }
        return $"{container.Name}/{blob}";
    }
}
