using Azure.Core;
using Azure.Core.Pipeline;
using Loyalty.Storage.Blobs;
using Loyalty.Storage.Queues;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Accounts;

/// <summary>
/// A storage account's Table, Queue and Blob endpoints with their credentials. Create one per account
/// and keep it: it owns one HTTP pipeline per service, shared by all clients it hands out.
/// </summary>
public sealed class StorageAccount
{
    private const string StorageScope = "https://storage.azure.com/.default";

    private readonly StorageService? tables;
    private readonly StorageService? queues;
    private readonly StorageService? blobs;

    private StorageAccount(string accountName, Uri? tableUri, Uri? queueUri, Uri? blobUri, Func<StorageServiceKind, HttpPipelinePolicy> authentication, StorageClientOptions? options)
    {
        AccountName = accountName;
        options ??= new StorageClientOptions();
        tables = Service(StorageServiceKind.Table, tableUri);
        queues = Service(StorageServiceKind.Queue, queueUri);
        blobs = Service(StorageServiceKind.Blob, blobUri);

        StorageService? Service(StorageServiceKind kind, Uri? endpoint) =>
            endpoint is null
                ? null
                : new StorageService(kind, endpoint, HttpPipelineBuilder.Build(options, [], [authentication(kind)], new ResponseClassifier()));
    }

    /// <summary>The account name (devstoreaccount1 for Azurite).</summary>
    public string AccountName { get; }

    public Uri? TableEndpoint => tables?.Endpoint;

    public Uri? QueueEndpoint => queues?.Endpoint;

    public Uri? BlobEndpoint => blobs?.Endpoint;

    /// <summary>
    /// Parses <c>UseDevelopmentStorage=true</c> (Azurite on 127.0.0.1:10000-10002) or
    /// <c>DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…</c> with either explicit
    /// <c>TableEndpoint/QueueEndpoint/BlobEndpoint</c> or an <c>EndpointSuffix</c>.
    /// </summary>
    /// <exception cref="FormatException">The string is malformed; the message never contains the key.</exception>
    public static StorageAccount Parse(string connectionString, StorageClientOptions? options = null)
    {
        var parsed = ConnectionStringParser.Parse(connectionString);
        return new StorageAccount(
            parsed.AccountName,
            parsed.TableEndpoint,
            parsed.QueueEndpoint,
            parsed.BlobEndpoint,
            kind => new SharedKeyPolicy(parsed.AccountName, parsed.AccountKey, kind),
            options);
    }

    /// <summary>
    /// Entra ID (managed identity, workload identity, developer credentials): the identity needs the
    /// Storage Table/Queue/Blob Data roles. Services whose URI is null are unavailable.
    /// </summary>
    public static StorageAccount FromServiceUris(Uri? tableUri, Uri? queueUri, Uri? blobUri, TokenCredential credential, StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var any = tableUri ?? queueUri ?? blobUri ?? throw new ArgumentException("At least one service URI is required.", nameof(tableUri));
        foreach (var uri in new[] { tableUri, queueUri, blobUri })
        {
            if (uri is { IsAbsoluteUri: false } || uri is not null && uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"Service URI '{uri}' is not an absolute http(s) URI.");
            }
        }

        // One policy for all three services: they share the scope, so they can share the cached token.
        var bearer = new BearerTokenAuthenticationPolicy(credential, StorageScope);
        return new StorageAccount(AccountNameOf(any), tableUri, queueUri, blobUri, _ => bearer, options);
    }

    public TableClient GetTable(string name) => new(Require(tables, "Table"), name);

    public QueueClient GetQueue(string name) => new(Require(queues, "Queue"), name);

    public BlobContainerClient GetContainer(string name) => new(Require(blobs, "Blob"), name);

    public override string ToString() =>
        $"StorageAccount {AccountName} (table: {TableEndpoint?.ToString() ?? "-"}, queue: {QueueEndpoint?.ToString() ?? "-"}, blob: {BlobEndpoint?.ToString() ?? "-"})";

    private static StorageService Require(StorageService? service, string kind) =>
        service ?? throw new InvalidOperationException($"No {kind} endpoint was configured for this storage account.");

    // https://acct.table.core.windows.net → acct; path-style http://127.0.0.1:10002/acct → acct.
    private static string AccountNameOf(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.IsLoopback
            ? uri.AbsolutePath.Trim('/').Split('/')[0]
            : uri.Host.Split('.')[0];
}
