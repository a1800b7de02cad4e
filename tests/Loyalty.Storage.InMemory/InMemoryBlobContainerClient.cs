using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// The SDK's <see cref="BlobContainerClient"/> over <see cref="InMemoryBlobs"/>, so that a store writing whole blobs and
/// listing them (the campaign deliveries' audience files) runs in memory as it is, each request counted. It serves
/// unconditional uploads and listings by prefix; any other call reaches the base class, which has no service behind it.
/// </summary>
public sealed class InMemoryBlobContainerClient(InMemoryBlobs blobs) : BlobContainerClient
{
    public override string Name => blobs.Name;

    public override BlobClient GetBlobClient(string blobName) => new Blob(blobs, blobName);

    public override AsyncPageable<BlobItem> GetBlobsAsync(BlobTraits traits = BlobTraits.None, BlobStates states = BlobStates.None, string? prefix = null,
        CancellationToken cancellationToken = default) =>
        AsyncPageable<BlobItem>.FromPages([Page<BlobItem>.FromValues(
            [.. blobs.List(prefix ?? "").Select(name => BlobsModelFactory.BlobItem(name, false, null, null, null, null, null, null, null, null))],
            null, InMemoryResponse.Ok)]);

    private sealed class Blob(InMemoryBlobs blobs, string name) : BlobClient
    {
        public override string Name => name;

        public override Task<Response<BlobContentInfo>> UploadAsync(BinaryData content, BlobUploadOptions options,
            CancellationToken cancellationToken = default)
        {
            if (options.Conditions is not null) throw new NotSupportedException("The in-memory blobs are overwritten whole; they take no conditions.");
            blobs.Write(name, content.ToArray());
            return Task.FromResult(Response.FromValue(BlobsModelFactory.BlobContentInfo(default, default, null, null, null, null, 0), InMemoryResponse.Ok));
        }
    }
}
