using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Loyalty.Core.Application.Ports;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// GDPR exports as <c>{programId}/{memberId}/{yyyyMMddTHHmmssfffZ}.json</c> in the exports container: a member's
/// exports share a prefix, so erasure finds and deletes them all with one listing.
/// </summary>
internal sealed class BlobExportStore(BlobContainerClient container) : IExportStore
{
    public async Task<string> SaveAsync(
        string programId, string memberId, DateTimeOffset at, ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
    {
        var blob = $"{Prefix(programId, memberId)}{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}.json";
        await container.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(document), Blobs.Upload("application/json"), cancellationToken);
        return $"{container.Name}/{blob}";
    }

    public async Task<int> DeleteAllAsync(string programId, string memberId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, Prefix(programId, memberId), cancellationToken))
            names.Add(blob.Name);
        var deleted = 0;
        foreach (var name in names)
            if (await container.DeleteBlobIfExistsAsync(name, cancellationToken: cancellationToken)) deleted++;
        return deleted;
    }

    private static string Prefix(string programId, string memberId) => $"{programId}/{memberId}/";
}
