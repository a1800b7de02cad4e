using System.Globalization;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Blobs;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// GDPR exports as <c>{programId}/{memberId}/{yyyyMMddTHHmmssfffZ}.json</c> in the exports container: a member's
/// exports share a prefix, so erasure finds and deletes them all with one listing.
/// </summary>
internal sealed class BlobExportStore(BlobContainerClient container) : IExportStore
{
    public async Task<string> SaveAsync(string programId, string memberId, DateTimeOffset at, ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
    {
        var blob = $"{Prefix(programId, memberId)}{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}.json";
        await container.UploadAsync(blob, BinaryData.FromBytes(document), "application/json", cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"{container.Name}/{blob}";
    }

    public async Task<int> DeleteAllAsync(string programId, string memberId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in container.ListAsync(Prefix(programId, memberId), cancellationToken: cancellationToken).ConfigureAwait(false))
            names.Add(blob.Name);
        var deleted = 0;
        foreach (var name in names)
            if (await container.DeleteAsync(name, cancellationToken).ConfigureAwait(false)) deleted++;
        return deleted;
    }

    private static string Prefix(string programId, string memberId) => $"{programId}/{memberId}/";
}
