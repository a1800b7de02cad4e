using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Loyalty.Core.Application.Ports;
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
            await container.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(payload), Blobs.Upload("application/json", Blobs.CreateOnly), cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            // Stored by an earlier delivery.
        }
        return $"{container.Name}/{blob}";
    }

    public async Task<ArchivedPayload?> ReadAsync(string archived, CancellationToken cancellationToken) =>
        BlobName(archived) is { } blob && await container.DownloadOrNullAsync(blob, cancellationToken) is { } download
            ? new ArchivedPayload(download.Content.ToMemory(), download.Details.ETag.ToString())
            : null;

    public async Task<bool> TryReplaceAsync(string archived, ReadOnlyMemory<byte> payload, string version, CancellationToken cancellationToken)
    {
        if (BlobName(archived) is not { } blob) return false;
        try
        {
            await container.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(payload), Blobs.Upload("application/json", new BlobRequestConditions { IfMatch = new ETag(version) }), cancellationToken)
                ;
            return true;
        }
        catch (RequestFailedException e) when (e.IsConditionFailed() || e.IsNotFound())
        {
            return false;
        }
    }

    /// <summary>The blob of a name <see cref="StoreAsync"/> returned; null for a name of another container.</summary>
    private string? BlobName(string archived) =>
        archived.StartsWith(container.Name + "/", StringComparison.Ordinal) ? archived[(container.Name.Length + 1)..] : null;
}
