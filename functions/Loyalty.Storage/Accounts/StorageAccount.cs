using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Xml.Linq;
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

    /// <summary>The names of the account's tables that start with <paramref name="prefix"/> ("" for all), in name order.</summary>
    public async IAsyncEnumerable<string> ListTablesAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var service = Require(tables, "Table");
        string? next = null;
        do
        {
            using var message = service.CreateMessage(RequestMethod.Get, "/Tables");
            message.Request.Headers.SetValue("Accept", "application/json;odata=nometadata");
            if (prefix.Length > 0)
            {
                // '{' follows every character a table name may have, so the range holds exactly the names with the prefix.
                message.Request.Uri.AppendQuery("$filter", TableFilter.Create($"TableName ge {prefix} and TableName lt {prefix + "{"}"));
            }

            if (next is not null)
            {
                message.Request.Uri.AppendQuery("NextTableName", next);
            }

            var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(response.Content.ToMemory());
            foreach (var table in json.RootElement.GetProperty("value").EnumerateArray())
            {
                yield return table.GetProperty("TableName").GetString() ?? throw new InvalidOperationException("A listed table has no name.");
            }

            next = response.Headers.TryGetValue("x-ms-continuation-NextTableName", out var name) ? name : null;
        }
        while (next is not null);
    }

    /// <summary>The names of the account's queues that start with <paramref name="prefix"/>, in name order.</summary>
    public IAsyncEnumerable<string> ListQueuesAsync(string prefix = "", CancellationToken cancellationToken = default) =>
        ListXmlAsync(Require(queues, "Queue"), "Queues", "Queue", prefix, cancellationToken);

    /// <summary>The names of the account's blob containers that start with <paramref name="prefix"/>, in name order.</summary>
    public IAsyncEnumerable<string> ListContainersAsync(string prefix = "", CancellationToken cancellationToken = default) =>
        ListXmlAsync(Require(blobs, "Blob"), "Containers", "Container", prefix, cancellationToken);

    public override string ToString() =>
        $"StorageAccount {AccountName} (table: {TableEndpoint?.ToString() ?? "-"}, queue: {QueueEndpoint?.ToString() ?? "-"}, blob: {BlobEndpoint?.ToString() ?? "-"})";

    /// <summary>The Queue and Blob services list their queues and containers the same way: XML pages with a marker.</summary>
    private static async IAsyncEnumerable<string> ListXmlAsync(StorageService service, string list, string item, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            using var message = service.CreateMessage(RequestMethod.Get, "");
            message.Request.Uri.AppendQuery("comp", "list");
            if (prefix.Length > 0)
            {
                message.Request.Uri.AppendQuery("prefix", prefix);
            }

            if (marker is not null)
            {
                message.Request.Uri.AppendQuery("marker", marker);
            }

            var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
            var root = XDocument.Load(response.Content.ToStream()).Root ?? throw new InvalidOperationException($"The {service.Kind} service returned an empty listing.");
            foreach (var name in root.Element(list)?.Elements(item).Select(e => e.Element("Name")?.Value) ?? [])
            {
                yield return name ?? throw new InvalidOperationException($"A listed {item.ToLowerInvariant()} has no name.");
            }

            marker = root.Element("NextMarker")?.Value is { Length: > 0 } next ? next : null;
        }
        while (marker is not null);
    }

    private static StorageService Require(StorageService? service, string kind) =>
        service ?? throw new InvalidOperationException($"No {kind} endpoint was configured for this storage account.");

    // https://acct.table.core.windows.net → acct; path-style http://127.0.0.1:10002/acct → acct.
    private static string AccountNameOf(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.IsLoopback
            ? uri.AbsolutePath.Trim('/').Split('/')[0]
            : uri.Host.Split('.')[0];
}
