using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Loyalty.Storage.Errors;

namespace Loyalty.Storage.Repositories;

/// <summary>The upload options and the read the blob stores share.</summary>
internal static class Blobs
{
    /// <summary>A whole-blob upload of <paramref name="contentType"/>, overwriting unless <paramref name="conditions"/> say otherwise.</summary>
    public static BlobUploadOptions Upload(string contentType, BlobRequestConditions? conditions = null) =>
        new() { HttpHeaders = new BlobHttpHeaders { ContentType = contentType }, Conditions = conditions };

    /// <summary>Create only: the upload fails with 409 BlobAlreadyExists if the blob exists.</summary>
    public static BlobRequestConditions CreateOnly => new() { IfNoneMatch = ETag.All };

    /// <returns>The blob, or null when the container has no such blob.</returns>
    /// <exception cref="RequestFailedException">The container does not exist, or the read failed.</exception>
    public static async Task<BlobDownloadResult?> DownloadOrNullAsync(this BlobContainerClient container, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsNotFound() && e.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    }
}
