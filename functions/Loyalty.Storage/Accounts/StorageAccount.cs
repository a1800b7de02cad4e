using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Loyalty.Storage.Errors;

namespace Loyalty.Storage.Accounts;

/// <summary>
/// The official SDKs' three service clients of one storage account, built once per process: each owns an HTTP
/// pipeline (and, with a credential, a token cache) that every table, queue and container client it hands out shares.
/// </summary>
public sealed class StorageAccount
{
    private StorageAccount(
        TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs, Uri tableEndpoint, Uri queueEndpoint, Uri blobEndpoint)
    {
        Tables = tables;
        Queues = queues;
        Blobs = blobs;
        TableEndpoint = tableEndpoint;
        QueueEndpoint = queueEndpoint;
        BlobEndpoint = blobEndpoint;
    }

    public TableServiceClient Tables { get; }

    /// <summary>Without a message encoding: bodies are base64 on the wire, encoded and decoded by <see cref="Queues.QueueBodies"/>.</summary>
    public QueueServiceClient Queues { get; }

    public BlobServiceClient Blobs { get; }

    public Uri TableEndpoint { get; }

    public Uri QueueEndpoint { get; }

    public Uri BlobEndpoint { get; }

    /// <summary>
    /// <c>UseDevelopmentStorage=true</c> (Azurite on its default ports), an account key or a shared access signature, in
    /// the connection string forms the SDKs accept.
    /// </summary>
    /// <param name="configure">Applied to each service's options after ours, e.g. to add a policy; null for none.</param>
    /// <exception cref="FormatException">The string is malformed (the SDKs' message never echoes a value).</exception>
    public static StorageAccount FromConnectionString(string connectionString, Action<ClientOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var (tableOptions, queueOptions, blobOptions) = Options(configure);
        var tables = new TableServiceClient(connectionString, tableOptions);
        var queues = new QueueServiceClient(connectionString, queueOptions);
        var blobs = new BlobServiceClient(connectionString, blobOptions);
        return new StorageAccount(tables, queues, blobs, Trimmed(tables.Uri), Trimmed(queues.Uri), Trimmed(blobs.Uri));
    }

    /// <summary>
    /// Entra ID (managed identity, workload identity, developer credentials): the identity needs the Storage Table, Queue
    /// and Blob Data Contributor roles.
    /// </summary>
    public static StorageAccount FromServiceUris(Uri tableUri, Uri queueUri, Uri blobUri, TokenCredential credential, Action<ClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        foreach (var uri in new[] { tableUri, queueUri, blobUri })
        {
            ArgumentNullException.ThrowIfNull(uri);
            if (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"Service URI '{uri}' is not an absolute http(s) URI.");
            }
        }

        var (tableOptions, queueOptions, blobOptions) = Options(configure);
        return new StorageAccount(
            new TableServiceClient(tableUri, credential, tableOptions),
            new QueueServiceClient(queueUri, credential, queueOptions),
            new BlobServiceClient(blobUri, credential, blobOptions),
            Trimmed(tableUri),
            Trimmed(queueUri),
            Trimmed(blobUri));
    }

    public TableClient GetTable(string name) => Tables.GetTableClient(ResourceNames.Table(name));

    public QueueClient GetQueue(string name) => Queues.GetQueueClient(ResourceNames.QueueOrContainer(name, "queue"));

    public BlobContainerClient GetContainer(string name) => Blobs.GetBlobContainerClient(ResourceNames.QueueOrContainer(name, "container"));

    /// <summary>
    /// Whether all three services answer now: one cheap request each, where a 404 (nothing called "probe" exists) proves
    /// the service is up and accepts our credentials. For waiting on an emulator that is starting; build the account
    /// without retries for that.
    /// </summary>
    public async Task<bool> AnswersAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await Task.WhenAll(
                Probe(() => GetTable("probe").GetEntityIfExistsAsync<TableEntity>("probe", "probe", cancellationToken: cancellationToken)),
                Probe(() => GetQueue("probe").GetPropertiesAsync(cancellationToken)),
                Probe(() => GetContainer("probe").GetPropertiesAsync(cancellationToken: cancellationToken)));
            return true;
        }
        catch (RequestFailedException)
        {
            // No answer (status 0), or not an account that accepts these credentials.
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The SDK's network timeout: an emulator still starting on a busy machine accepts the connection and answers late.
            return false;
        }

        static async Task Probe(Func<Task> probe)
        {
            try
            {
                await probe();
            }
            catch (RequestFailedException e) when (e.IsNotFound())
            {
                // Expected.
            }
        }
    }

    public override string ToString() => $"StorageAccount (table: {TableEndpoint}, queue: {QueueEndpoint}, blob: {BlobEndpoint})";

    private static (TableClientOptions, QueueClientOptions, BlobClientOptions) Options(Action<ClientOptions>? configure)
    {
        var tables = new TableClientOptions();
        var queues = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        var blobs = new BlobClientOptions();
        foreach (var options in new ClientOptions[] { tables, queues, blobs })
        {
            StorageRetry.Apply(options.Retry);
            configure?.Invoke(options);
        }

        return (tables, queues, blobs);
    }

    // What an operator configured, without the trailing slash the SDKs may add (the endpoints compare with the settings)
    // and without the query, which holds the signature when the connection string has one.
    private static Uri Trimmed(Uri uri) => new(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
}
