using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// The SDK's <see cref="TableClient"/> over an <see cref="InMemoryTable"/>, so that the Table stores themselves run in
/// memory: one row layout (the Members table's is <c>MemberRows</c>), and every request they send counted as it goes on
/// the wire. It serves what those stores call: point reads, queries whose filter is PartitionKey and RowKey comparisons
/// joined by "and" (as <see cref="TableClient.CreateQueryFilter(FormattableString)"/> writes them), transactions,
/// inserts, replacing updates and upserts, and deletes. A query's <c>select</c> is not applied: the stores read columns
/// by name. Any other call reaches the base class, which has no service behind it. Rows are kept as
/// <see cref="TableRowCodec"/> bytes rather than the SDK's dictionaries, so that a million members fit.
/// </summary>
public sealed partial class InMemoryTableClient(InMemoryTable table) : TableClient
{
    /// <summary>Above every key a store writes: the open end of a range.</summary>
    private const string KeysEnd = "\uffff";

    public override string Name => table.Name;

    public override Task<NullableResponse<T>> GetEntityIfExistsAsync<T>(string partitionKey, string rowKey, IEnumerable<string>? select = null,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(table.Get(partitionKey, rowKey) is { } row
            ? Response.FromValue(Read<T>(row), InMemoryResponse.Ok)
            : (NullableResponse<T>)new Missing<T>());

    public override AsyncPageable<T> QueryAsync<T>(string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null,
        CancellationToken cancellationToken = default)
    {
        var (partition, rows, partitions) = Parse(filter ?? "");
        return new Pages<T>((continuation, pageSize) => partition is null
            ? [Page<T>.FromValues([.. table.Scan(partitions.Contains, rows.Contains).Select(Read<T>)], null, InMemoryResponse.Ok)]
            : PagesOf<T>(partition, rows, pageSize ?? maxPerPage ?? InMemoryTable.MaxPageSize, continuation));
    }

    /// <exception cref="TableTransactionFailedException">An action failed, named as the service names it; none took effect.</exception>
    public override Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> transactionActions,
        CancellationToken cancellationToken = default)
    {
        var actions = transactionActions.Select(ToAction).ToList();
        try
        {
            table.Submit(actions);
        }
        catch (TableActionFailedException e)
        {
            var failed = new RequestFailedException(e.Status, e.Message, ErrorCode(e.Status), e);
            // Where the SDK puts the index it parses from the service's answer, and reads FailedTransactionActionIndex from.
            failed.Data["FailedEntity"] = e.FailedIndex.ToString(CultureInfo.InvariantCulture);
            throw new TableTransactionFailedException(failed);
        }
        return Task.FromResult(Response.FromValue<IReadOnlyList<Response>>([.. actions.Select(_ => InMemoryResponse.Ok)], InMemoryResponse.Ok));
    }

    /// <exception cref="RequestFailedException">409: the row exists.</exception>
    public override Task<Response> AddEntityAsync<T>(T entity, CancellationToken cancellationToken = default) =>
        Single(() => table.Insert(entity.PartitionKey, entity.RowKey, TableRowCodec.Encode(Entity(entity))));

    /// <exception cref="RequestFailedException">404: no such row; 412: it is not at <paramref name="ifMatch"/> any more.</exception>
    public override Task<Response> UpdateEntityAsync<T>(T entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge,
        CancellationToken cancellationToken = default)
    {
        if (mode != TableUpdateMode.Replace) throw new NotSupportedException("The in-memory table replaces rows; it does not merge them.");
        return Single(() => table.Replace(entity.PartitionKey, entity.RowKey, TableRowCodec.Encode(Entity(entity)), ifMatch.ToString()));
    }

    public override Task<Response> UpsertEntityAsync<T>(T entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        if (mode != TableUpdateMode.Replace) throw new NotSupportedException("The in-memory table replaces rows; it does not merge them.");
        table.Upsert(entity.PartitionKey, entity.RowKey, TableRowCodec.Encode(Entity(entity)));
        return Task.FromResult<Response>(InMemoryResponse.Ok);
    }

    public override Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default,
        CancellationToken cancellationToken = default)
    {
        if (ifMatch != default && ifMatch != ETag.All) throw new NotSupportedException("The in-memory table deletes a row whatever its ETag.");
        table.Delete(partitionKey, rowKey);
        return Task.FromResult<Response>(InMemoryResponse.Ok);
    }

    private static Task<Response> Single(Action write)
    {
        try
        {
            write();
        }
        catch (TableActionFailedException e)
        {
            throw new RequestFailedException(e.Status, e.Message, ErrorCode(e.Status), e);
        }
        return Task.FromResult<Response>(InMemoryResponse.Ok);
    }

    private IEnumerable<Page<T>> PagesOf<T>(string partition, Bounds rows, int pageSize, string? continuation)
        where T : class, ITableEntity
    {
        var range = new RowRange(rows.From, rows.FromInclusive, rows.To, rows.ToInclusive);
        do
        {
            var page = table.Query(partition, range, pageSize, continuation);
            yield return Page<T>.FromValues([.. page.Rows.Select(Read<T>)], page.Continuation, InMemoryResponse.Ok);
            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    private static TableAction ToAction(TableTransactionAction action)
    {
        var (entity, etag) = (action.Entity, action.ETag == default ? TableAction.AnyETag : action.ETag.ToString());
        return action.ActionType switch
        {
            TableTransactionActionType.Add => new TableAction(TableActionKind.Add, entity.PartitionKey, entity.RowKey, TableRowCodec.Encode(Entity(entity))),
            TableTransactionActionType.UpsertReplace =>
                new TableAction(TableActionKind.UpsertReplace, entity.PartitionKey, entity.RowKey, TableRowCodec.Encode(Entity(entity))),
            TableTransactionActionType.UpdateReplace =>
                new TableAction(TableActionKind.UpdateReplace, entity.PartitionKey, entity.RowKey, TableRowCodec.Encode(Entity(entity)), etag),
            TableTransactionActionType.Delete => TableAction.Delete(entity.PartitionKey, entity.RowKey, etag),
            _ => throw new NotSupportedException($"The in-memory table replaces rows; it does not {action.ActionType}."),
        };
    }

    private static TableEntity Entity(ITableEntity entity) =>
        entity as TableEntity ?? throw new NotSupportedException($"The in-memory table writes TableEntity rows, not {entity.GetType().Name}.");

    /// <summary>The row as the SDK would bind it: a <see cref="TableEntity"/>, or the properties of <typeparamref name="T"/> by name.</summary>
    private static T Read<T>(TableRow row) where T : class, ITableEntity
    {
        var entity = TableRowCodec.Decode(row);
        if (entity is T asked) return asked;
        var bound = (T)Activator.CreateInstance(typeof(T))!;
        (bound.PartitionKey, bound.RowKey, bound.ETag) = (entity.PartitionKey, entity.RowKey, entity.ETag);
        foreach (var property in Columns<T>.Settable)
            if (entity.TryGetValue(property.Name, out var value)) property.SetValue(bound, value);
        return bound;
    }

    private static string ErrorCode(int status) => status switch
    {
        404 => "ResourceNotFound",
        409 => "EntityAlreadyExists",
        _ => "UpdateConditionNotSatisfied",
    };

    /// <summary>The partition (or the partition range) and the RowKey range a filter names.</summary>
    /// <exception cref="NotSupportedException">Anything but PartitionKey and RowKey compared with strings, joined by "and".</exception>
    private static (string? Partition, Bounds Rows, Bounds Partitions) Parse(string filter)
    {
        var (rows, partitions) = (new Bounds(), new Bounds());
        string? partition = null;
        var at = 0;
        for (var match = Comparison().Match(filter); match.Success && match.Index == at; match = match.NextMatch())
        {
            at += match.Length;
            var value = match.Groups[3].Value.Replace("''", "'", StringComparison.Ordinal);
            if (match.Groups[1].Value == "PartitionKey" && match.Groups[2].Value == "eq") partition = value;
            else (match.Groups[1].Value == "RowKey" ? rows : partitions).Add(match.Groups[2].Value, value);
        }
        if (at != filter.Length || filter.Length == 0) throw new NotSupportedException($"The in-memory table does not run the filter \"{filter}\".");
        return (partition, rows, partitions);
    }

    [GeneratedRegex("(PartitionKey|RowKey) (eq|gt|ge|lt|le) '((?:[^']|'')*)'(?: and |$)", RegexOptions.CultureInvariant)]
    private static partial Regex Comparison();

    /// <summary>A key range, open at both ends until a comparison closes one.</summary>
    private sealed class Bounds
    {
        public string From { get; private set; } = "";
        public bool FromInclusive { get; private set; } = true;
        public string To { get; private set; } = KeysEnd;
        public bool ToInclusive { get; private set; }

        public void Add(string comparison, string value)
        {
            switch (comparison)
            {
                case "gt" or "ge": (From, FromInclusive) = (value, comparison == "ge"); break;
                case "lt" or "le": (To, ToInclusive) = (value, comparison == "le"); break;
                default: (From, FromInclusive, To, ToInclusive) = (value, true, value, true); break;
            }
        }

        public bool Contains(string key)
        {
            var (from, to) = (string.CompareOrdinal(key, From), string.CompareOrdinal(key, To));
            return (from > 0 || (from == 0 && FromInclusive)) && (to < 0 || (to == 0 && ToInclusive));
        }
    }

    private static class Columns<T>
    {
        public static readonly PropertyInfo[] Settable = [.. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.Name is not (nameof(ITableEntity.PartitionKey) or nameof(ITableEntity.RowKey) or nameof(ITableEntity.ETag)
                or nameof(ITableEntity.Timestamp)))];
    }

    /// <summary>Pages fetched one at a time as they are enumerated, as the SDK fetches them, so a store that stops early sends no more.</summary>
    private sealed class Pages<T>(Func<string?, int?, IEnumerable<Page<T>>> pages) : AsyncPageable<T>
        where T : notnull
    {
        public override IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null) =>
            pages(continuationToken, pageSizeHint).ToAsyncEnumerable();
    }

    /// <summary>The SDK's answer for a missing row: no value, and the service's 404 ResourceNotFound behind it.</summary>
    private sealed class Missing<T> : NullableResponse<T>
    {
        public override bool HasValue => false;
        public override T? Value => default;
        public override Response GetRawResponse() => InMemoryResponse.NotFound;
    }
}
