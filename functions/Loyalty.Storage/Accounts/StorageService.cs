using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Loyalty.Storage.Errors;

namespace Loyalty.Storage.Accounts;

/// <summary>
/// One service endpoint of one account with its pipeline: builds requests, sends them, maps failures.
/// Shared by every table, queue or container client of that account, so the pipeline is built once.
/// </summary>
internal sealed class StorageService
{
    private readonly HttpPipeline pipeline;
    private readonly string version;

    public StorageService(StorageServiceKind kind, Uri endpoint, HttpPipeline pipeline)
    {
        Kind = kind;
        Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/'));
        this.pipeline = pipeline;

        // Tables: the version the official Azure.Data.Tables SDK sends (the Table service's JSON
        // protocol has not changed since). Blobs and queues: a version Azurite 3.35 implements.
        version = kind == StorageServiceKind.Table ? "2019-02-02" : "2021-12-02";
    }

    public StorageServiceKind Kind { get; }

    /// <summary>The service root, without a trailing slash; for Azurite it ends with the account name.</summary>
    public Uri Endpoint { get; }

    /// <param name="escapedPath">Appended verbatim after the endpoint; starts with '/'; already URL-escaped.</param>
    public HttpMessage CreateMessage(RequestMethod method, string escapedPath)
    {
        var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(Endpoint);
        request.Uri.AppendPath(escapedPath, escape: false);
        request.Headers.SetValue("x-ms-version", version);
        return message;
    }

    /// <summary>Sends and returns the response, whatever its status. Throws only when no response arrived.</summary>
    public async ValueTask<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return message.Response;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is RequestFailedException or AggregateException or OperationCanceledException)
        {
            // After the retries: RequestFailedException (status 0) for network errors, AggregateException
            // for several, OperationCanceledException for the pipeline's network timeout.
            throw new StorageTransientException(0, null, $"The {Kind} service at {Endpoint.Authority} did not answer: {e.Message}", innerException: e);
        }
    }

    /// <summary>Sends and throws the mapped <see cref="StorageException"/> unless the status is 2xx.</summary>
    public async ValueTask<Response> SendCheckedAsync(HttpMessage message, CancellationToken cancellationToken) =>
        EnsureSuccess(await SendAsync(message, cancellationToken).ConfigureAwait(false));

    public static bool IsSuccess(Response response) => response.Status is >= 200 and < 300;

    public static Response EnsureSuccess(Response response) =>
        IsSuccess(response) ? response : throw StorageErrors.FromResponse(response);

    /// <summary>
    /// For "if exists / if not exists" operations: true on 2xx, false on the expected status (with the
    /// expected error code, when one is given), the mapped exception otherwise.
    /// </summary>
    public static bool SucceededOrExpected(Response response, int expectedStatus, string? expectedCode)
    {
        if (IsSuccess(response))
        {
            return true;
        }

        if (response.Status == expectedStatus && (expectedCode is null || StorageErrors.Code(response) == expectedCode))
        {
            return false;
        }

        throw StorageErrors.FromResponse(response);
    }
}
