using Azure;

namespace Loyalty.Storage.Blobs;

/// <summary>Optimistic-concurrency conditions for an upload.</summary>
public sealed record BlobConditions
{
    /// <summary>Create only: fail with <see cref="Errors.StorageConflictException"/> if the blob exists.</summary>
    public static BlobConditions CreateOnly { get; } = new() { IfNoneMatch = ETag.All };

    /// <summary>Overwrite only the version read: <see cref="Errors.StoragePreconditionFailedException"/> otherwise.</summary>
    public static BlobConditions Matching(ETag etag) => new() { IfMatch = etag };

    public ETag? IfMatch { get; init; }

    public ETag? IfNoneMatch { get; init; }
}

/// <summary>A downloaded blob.</summary>
public sealed record BlobDownload(BinaryData Content, string ContentType, ETag ETag, DateTimeOffset LastModified);

/// <summary>A blob as listed.</summary>
public sealed record BlobItem(string Name, long Size, ETag ETag, DateTimeOffset LastModified, string? ContentType);
