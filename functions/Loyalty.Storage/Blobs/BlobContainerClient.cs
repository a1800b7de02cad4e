using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Loyalty.Storage.Accounts;
using Loyalty.Storage.Errors;

namespace Loyalty.Storage.Blobs;

/// <summary>One blob container with whole-blob upload, download, listing and delete. Cheap to create; thread-safe.</summary>
public sealed class BlobContainerClient
{
    private readonly StorageService service;
    private readonly string path;

    internal BlobContainerClient(StorageService service, string name)
    {
        this.service = service;
        Name = ResourceNames.QueueOrContainer(name, "container");
        path = "/" + Name;
    }

    public string Name { get; }

    /// <returns>True if the container was created, false if it already existed.</returns>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = ContainerRequest(RequestMethod.Put);
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return StorageService.SucceededOrExpected(response, 409, "ContainerAlreadyExists");
    }

    /// <returns>True if the container was deleted, false if it did not exist.</returns>
    public async Task<bool> DeleteContainerAsync(CancellationToken cancellationToken = default)
    {
        using var message = ContainerRequest(RequestMethod.Delete);
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return StorageService.SucceededOrExpected(response, 404, null);
    }

    /// <summary>Creates or overwrites a block blob in one request.</summary>
    /// <returns>The blob's new ETag.</returns>
    /// <exception cref="StorageConflictException">Create-only (<see cref="BlobConditions.CreateOnly"/>) and the blob exists.</exception>
    /// <exception cref="StoragePreconditionFailedException">If-Match and the blob changed.</exception>
    public async Task<ETag> UploadAsync(string name, BinaryData content, string contentType, BlobConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        using var message = service.CreateMessage(RequestMethod.Put, BlobPath(name));
        var headers = message.Request.Headers;
        headers.SetValue("x-ms-blob-type", "BlockBlob");
        headers.SetValue("Content-Type", contentType);
        if (conditions?.IfMatch is { } ifMatch)
        {
            headers.SetValue("If-Match", ifMatch.ToString("H"));
        }

        if (conditions?.IfNoneMatch is { } ifNoneMatch)
        {
            headers.SetValue("If-None-Match", ifNoneMatch.ToString("H"));
        }

        message.Request.Content = RequestContent.Create(content);
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);

        return StorageService.EnsureSuccess(response).Headers.ETag ?? throw new StorageException(response.Status, null, "The Blob service returned no ETag.");
    }

    /// <returns>The blob, or null if it does not exist.</returns>
    /// <exception cref="StorageNotFoundException">The container does not exist.</exception>
    public async Task<BlobDownload?> DownloadAsync(string name, CancellationToken cancellationToken = default)
    {
        using var message = service.CreateMessage(RequestMethod.Get, BlobPath(name));
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && StorageErrors.Code(response) is "BlobNotFound")
        {
            return null;
        }

        StorageService.EnsureSuccess(response);
        return new BlobDownload(
            response.Content,
            response.Headers.ContentType ?? "application/octet-stream",
            response.Headers.ETag ?? default,
            LastModified(response.Headers.TryGetValue("Last-Modified", out var modified) ? modified : null));
    }

    /// <summary>Blobs whose names start with <paramref name="prefix"/>, in name order, page after page.</summary>
    /// <param name="pageSize">maxresults per request; null for the service default (5,000).</param>
    public async IAsyncEnumerable<BlobItem> ListAsync(string? prefix = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (pageSize is <= 0 or > 5000)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "A page holds 1 to 5,000 blobs.");
        }

        string? marker = null;
        do
        {
            using var message = ContainerRequest(RequestMethod.Get);
            var uri = message.Request.Uri;
            uri.AppendQuery("comp", "list");
            if (!string.IsNullOrEmpty(prefix))
            {
                uri.AppendQuery("prefix", prefix);
            }

            if (pageSize is { } size)
            {
                uri.AppendQuery("maxresults", size.ToString(CultureInfo.InvariantCulture));
            }

            if (marker is not null)
            {
                uri.AppendQuery("marker", marker);
            }

            var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
            var root = XDocument.Load(response.Content.ToStream()).Root ?? throw new InvalidOperationException("The Blob service returned an empty listing.");
            foreach (var blob in root.Element("Blobs")?.Elements("Blob") ?? [])
            {
                var properties = blob.Element("Properties");
                yield return new BlobItem(
                    blob.Element("Name")?.Value ?? throw new InvalidOperationException("A listed blob has no name."),
                    long.Parse(properties?.Element("Content-Length")?.Value ?? "0", CultureInfo.InvariantCulture),
                    new ETag(properties?.Element("Etag")?.Value ?? string.Empty),
                    LastModified(properties?.Element("Last-Modified")?.Value),
                    properties?.Element("Content-Type")?.Value);
            }

            marker = root.Element("NextMarker")?.Value is { Length: > 0 } next ? next : null;
        }
        while (marker is not null);
    }

    /// <returns>True if deleted, false if the blob did not exist.</returns>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        using var message = service.CreateMessage(RequestMethod.Delete, BlobPath(name));
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return StorageService.SucceededOrExpected(response, 404, "BlobNotFound");
    }

    public override string ToString() => $"Container {Name} at {service.Endpoint}";

    private HttpMessage ContainerRequest(RequestMethod method)
    {
        var message = service.CreateMessage(method, path);
        message.Request.Uri.AppendQuery("restype", "container");
        return message;
    }

    // Each segment is escaped; the '/' separators stay, so "receipts/p1/2025/x.json" keeps its virtual folders.
    private string BlobPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 1024)
        {
            throw new ArgumentException("Blob names are at most 1,024 characters.", nameof(name));
        }

        return path + "/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
    }

    private static DateTimeOffset LastModified(string? rfc1123) =>
        rfc1123 is null ? default : DateTimeOffset.ParseExact(rfc1123, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

}
