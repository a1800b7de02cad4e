using Azure;

namespace Loyalty.Storage.Tables;

public enum TableUpdateMode
{
    /// <summary>Only the given properties change; the row's other properties stay.</summary>
    Merge,

    /// <summary>The row becomes exactly the given entity; properties not given are dropped.</summary>
    Replace,
}

public enum TableTransactionActionType
{
    Insert,
    UpsertMerge,
    UpsertReplace,
    UpdateMerge,
    UpdateReplace,
    Delete,
}

/// <summary>One operation of an entity group transaction; build with the static factories.</summary>
public sealed class TableTransactionAction
{
    private TableTransactionAction(TableTransactionActionType type, TableEntity entity, ETag ifMatch)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ActionType = type;
        Entity = entity;
        IfMatch = ifMatch;
    }

    public TableTransactionActionType ActionType { get; }

    /// <summary>The entity written; for deletes only its keys matter.</summary>
    public TableEntity Entity { get; }

    /// <summary>The ETag the row must have (updates and deletes); <see cref="ETag.All"/> for any.</summary>
    public ETag IfMatch { get; }

    public string PartitionKey => Entity.PartitionKey;

    public string RowKey => Entity.RowKey;

    /// <summary>Fails the whole transaction with 409 EntityAlreadyExists if the row exists.</summary>
    public static TableTransactionAction Insert(TableEntity entity) => new(TableTransactionActionType.Insert, entity, default);

    public static TableTransactionAction Upsert(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge) =>
        new(mode == TableUpdateMode.Merge ? TableTransactionActionType.UpsertMerge : TableTransactionActionType.UpsertReplace, entity, default);

    /// <summary>Fails the whole transaction with 412 if the row's ETag differs, 404 if it is missing.</summary>
    public static TableTransactionAction Update(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge) =>
        new(mode == TableUpdateMode.Merge ? TableTransactionActionType.UpdateMerge : TableTransactionActionType.UpdateReplace, entity, RequireETag(ifMatch));

    public static TableTransactionAction Delete(string partitionKey, string rowKey, ETag? ifMatch = null) =>
        new(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey, 0), ifMatch is { } etag ? RequireETag(etag) : ETag.All);

    public override string ToString() => $"{ActionType}({PartitionKey}, {RowKey})";

    internal static ETag RequireETag(ETag etag) =>
        etag == default ? throw new ArgumentException("An ETag is required; pass ETag.All to match any version.", nameof(etag)) : etag;
}
