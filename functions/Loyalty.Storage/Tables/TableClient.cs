using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Core;
using Loyalty.Storage.Accounts;
using Loyalty.Storage.Errors;

namespace Loyalty.Storage.Tables;

/// <summary>
/// One table: entity CRUD with optimistic concurrency, paged queries with resumable continuations,
/// and entity group transactions. Cheap to create; thread-safe.
/// </summary>
public sealed class TableClient
{
    private const string JsonMetadata = "application/json;odata=minimalmetadata";
    private static readonly RequestMethod Merge = new("MERGE");

    private readonly StorageService service;
    private readonly string path;

    internal TableClient(StorageService service, string name)
    {
        this.service = service;
        Name = ResourceNames.Table(name);
        path = "/" + Name;
    }

    public string Name { get; }

    /// <returns>True if the table was created, false if it already existed.</returns>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, "/Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonContent(message.Request, Encoding.UTF8.GetBytes($"{{\"TableName\":\"{Name}\"}}"));
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return StorageService.SucceededOrExpected(response, 409, "TableAlreadyExists");
    }

    /// <returns>True if the table was deleted, false if it did not exist.</returns>
    public async Task<bool> DeleteTableAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, $"/Tables('{Name}')");
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return StorageService.SucceededOrExpected(response, 404, null);
    }

    /// <param name="select">Properties to return; null for all.</param>
    /// <returns>The entity, or null if the row does not exist.</returns>
    /// <exception cref="StorageNotFoundException">The table does not exist.</exception>
    public async Task<TableEntity?> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(partitionKey, rowKey);
        using var message = CreateMessage(RequestMethod.Get, TableKeys.EntityPath(Name, partitionKey, rowKey));
        if (select is not null)
        {
            message.Request.Uri.AppendQuery("$select", string.Join(',', select));
        }

        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && StorageErrors.Code(response) is "ResourceNotFound")
        {
            return null;
        }

        var entity = TableEntityJson.ParseEntity(StorageService.EnsureSuccess(response).Content.ToMemory().Span);

        // A $select may leave the keys out of the body; they are known anyway.
        entity.PartitionKey = partitionKey;
        entity.RowKey = rowKey;
        if (entity.ETag == default && response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }

        return entity;
    }

    /// <returns>The new row's ETag.</returns>
    /// <exception cref="StorageConflictException">The row already exists (EntityAlreadyExists).</exception>
    public async Task<ETag> InsertAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableKeys.Validate(entity.PartitionKey, entity.RowKey);
        using var message = CreateMessage(RequestMethod.Post, path);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        return await WriteAsync(message, entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts the row, or merges into / replaces an existing one, whatever its version.</summary>
    /// <returns>The row's new ETag.</returns>
    public Task<ETag> UpsertAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        UpdateOrUpsertAsync(entity, mode, null, cancellationToken);

    /// <summary>Updates an existing row if its ETag still equals <paramref name="ifMatch"/> (<see cref="ETag.All"/>: any version).</summary>
    /// <returns>The row's new ETag.</returns>
    /// <exception cref="StoragePreconditionFailedException">The row changed since <paramref name="ifMatch"/> was read.</exception>
    /// <exception cref="StorageNotFoundException">The row does not exist.</exception>
    public Task<ETag> UpdateAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        UpdateOrUpsertAsync(entity, mode, TableTransactionAction.RequireETag(ifMatch), cancellationToken);

    /// <param name="ifMatch">The version to delete; null deletes any version.</param>
    /// <returns>True if deleted, false if the row did not exist.</returns>
    /// <exception cref="StoragePreconditionFailedException">The row changed since <paramref name="ifMatch"/> was read.</exception>
    public async Task<bool> DeleteEntityAsync(string partitionKey, string rowKey, ETag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(partitionKey, rowKey);
        using var message = CreateMessage(RequestMethod.Delete, TableKeys.EntityPath(Name, partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", (ifMatch ?? ETag.All).ToString("H"));
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return StorageService.SucceededOrExpected(response, 404, "ResourceNotFound");
    }

    /// <summary>Pages of a query, following continuations; resume from a saved one with <paramref name="from"/>.</summary>
    /// <param name="filter">An OData filter, best built with <see cref="TableFilter.Create"/>; null for all rows.</param>
    /// <param name="select">Properties to return; null for all.</param>
    /// <param name="pageSize">$top: at most this many entities per page (the service caps pages at 1,000).</param>
    public async IAsyncEnumerable<TablePage> QueryPagesAsync(
        string? filter = null,
        IEnumerable<string>? select = null,
        int? pageSize = null,
        TableContinuation? from = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (pageSize is <= 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "A page holds 1 to 1,000 entities.");
        }

        var selected = select is null ? null : string.Join(',', select);
        var continuation = from;
        do
        {
            using var message = CreateMessage(RequestMethod.Get, $"/{Name}()");
            var uri = message.Request.Uri;
            if (filter is not null)
            {
                uri.AppendQuery("$filter", filter);
            }

            if (selected is not null)
            {
                uri.AppendQuery("$select", selected);
            }

            if (pageSize is { } top)
            {
                uri.AppendQuery("$top", top.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (continuation is not null)
            {
                uri.AppendQuery("NextPartitionKey", continuation.NextPartitionKey);
                if (continuation.NextRowKey is not null)
                {
                    uri.AppendQuery("NextRowKey", continuation.NextRowKey);
                }
            }

            var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
            var entities = TableEntityJson.ParseEntities(response.Content.ToMemory().Span);
            continuation = response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartition)
                ? new TableContinuation(nextPartition, response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRow) ? nextRow : null)
                : null;
            yield return new TablePage(entities, continuation);
        }
        while (continuation is not null);
    }

    /// <summary>All entities of a query, page after page.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string? filter = null,
        IEnumerable<string>? select = null,
        int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in QueryPagesAsync(filter, select, pageSize, null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }
        }
    }

    /// <summary>
    /// Applies up to 100 actions on one partition of this table atomically: all take effect or none.
    /// </summary>
    /// <returns>Each action's new ETag, in order (null for deletes).</returns>
    /// <exception cref="ArgumentException">More than 100 actions, several partition keys or a row touched twice; nothing was sent.</exception>
    /// <exception cref="TableTransactionFailedException">An action failed; none took effect.</exception>
    public async Task<IReadOnlyList<ETag?>> SubmitTransactionAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        TableTransactionBody.Validate(actions);
        var (body, contentType) = TableTransactionBody.Build(service.Endpoint, Name, actions);
        using var message = CreateMessage(RequestMethod.Post, "/$batch");
        message.Request.Headers.SetValue("Content-Type", contentType);
        message.Request.Content = RequestContent.Create(body);
        var response = await service.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return TableTransactionBody.ParseResponse(StorageService.EnsureSuccess(response), actions);
    }

    public override string ToString() => $"Table {Name} at {service.Endpoint}";

    private async Task<ETag> UpdateOrUpsertAsync(TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableKeys.Validate(entity.PartitionKey, entity.RowKey);

        // Without If-Match, MERGE and PUT on an entity address are upserts; with it, conditional updates.
        using var message = CreateMessage(mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put, TableKeys.EntityPath(Name, entity.PartitionKey, entity.RowKey));
        if (ifMatch is { } etag)
        {
            message.Request.Headers.SetValue("If-Match", etag.ToString("H"));
        }

        return await WriteAsync(message, entity, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ETag> WriteAsync(HttpMessage message, TableEntity entity, CancellationToken cancellationToken)
    {
        SetJsonContent(message.Request, TableEntityJson.Serialize(entity));
        var response = await service.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Headers.ETag ?? throw new StorageException(response.Status, null, "The Table service did not return an ETag.");
    }

    private HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = service.CreateMessage(method, path);
        var headers = message.Request.Headers;
        headers.SetValue("Accept", JsonMetadata);
        headers.SetValue("DataServiceVersion", "3.0");
        headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private static void SetJsonContent(Request request, ReadOnlyMemory<byte> json)
    {
        request.Headers.SetValue("Content-Type", "application/json");
        request.Content = RequestContent.Create(json);
    }
}
