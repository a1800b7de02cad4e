using Loyalty.Core.Application;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;
using ETag = Azure.ETag;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Members table (layout in <see cref="MemberRows"/>, partitions in <see cref="MemberShards"/>). Every write is one entity
/// group transaction in the member's partition: the operation record insert (a duplicate fails the whole batch: idempotency
/// for free), history and ledger inserts, and the profile write conditional on its ETag (a concurrent writer gets 412).
/// </summary>
internal sealed class TableMemberStore(TableClient table) : IMemberStore
{
    private const int MaxActions = 100;

    public async Task<StoredMember?> GetAsync(MemberKey key, CancellationToken cancellationToken) =>
        await table.GetEntityAsync(Partition(key), MemberRows.Profile(key.MemberId), cancellationToken: cancellationToken).ConfigureAwait(false) is { } row
            ? MemberRows.ReadProfile(row)
            : null;

    public async Task InsertAsync(MemberKey key, MemberWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(Actions(key, write, TableTransactionAction.Insert), cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            throw new InvalidOperationException($"Member '{key.MemberId}' of program '{key.ProgramId}' exists already; member ids are random, so this is a bug.", e);
        }
    }

    public async Task<CommitResult> CommitAsync(MemberKey key, MemberWrite write, string concurrencyToken, CancellationToken cancellationToken)
    {
        var etag = new ETag(concurrencyToken);
        try
        {
            await table.SubmitTransactionAsync(Actions(key, write, profile => TableTransactionAction.Update(profile, etag, TableUpdateMode.Replace)), cancellationToken)
                .ConfigureAwait(false);
            return CommitResult.Committed;
        }
        // Every inserted key contains the operation id, and its record comes first: a 409 means "applied before".
        catch (TableTransactionFailedException e) when (e.Status == 409 && write.Operation is not null)
        {
            return CommitResult.AlreadyApplied;
        }
        // 404: the profile vanished; the caller's reload will say so.
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
        {
            return CommitResult.Conflict;
        }
    }

    public async Task<OperationRecord?> GetOperationAsync(MemberKey key, string operationId, CancellationToken cancellationToken) =>
        await table.GetEntityAsync(Partition(key), MemberRows.Record(key.MemberId, operationId), cancellationToken: cancellationToken).ConfigureAwait(false) is { } row
            ? MemberRows.ReadRecord(row)
            : null;

    public Task<CursorPage<ReceiptSummary>> ListReceiptsAsync(MemberKey key, int pageSize, string? after, CancellationToken cancellationToken) =>
        ListAsync<ReceiptSummary>(key, MemberRows.History, pageSize, after, row => [MemberRows.ReadHistory(row)], cancellationToken);

    /// <summary>Pages count ledger rows: normally one entry each; a packed row of one large operation stays whole.</summary>
    public Task<CursorPage<LedgerEntry>> ListLedgerAsync(MemberKey key, int pageSize, string? after, CancellationToken cancellationToken) =>
        ListAsync(key, MemberRows.Ledger, pageSize, after, MemberRows.ReadLedger, cancellationToken);

    public async Task<IReadOnlyList<Notification>> ListOutboxAsync(string programId, int shards, int shard, CancellationToken cancellationToken)
    {
        var partition = MemberShards.PartitionKey(programId, shard);
        var found = new List<Notification>();
        var filter = TableFilter.Create($"PartitionKey eq {partition} and RowKey gt {MemberRows.Outbox + "|"} and RowKey lt {MemberRows.Outbox + "}"}");
        await foreach (var row in table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            found.Add(MemberRows.ReadOutbox(row));
        return found;
    }

    public async Task DeleteOutboxAsync(MemberKey key, string operationId, CancellationToken cancellationToken) =>
        await table.DeleteEntityAsync(Partition(key), MemberRows.OutboxKey(key.MemberId, operationId), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>The cursor is the RowKey of the page's last row without the member's prefix: the next page starts after it.</summary>
    private async Task<CursorPage<T>> ListAsync<T>(MemberKey key, string kind, int pageSize, string? after, Func<TableEntity, IEnumerable<T>> read, CancellationToken cancellationToken)
    {
        var start = MemberRows.RangeStart(kind, key.MemberId);
        var filter = TableFilter.Create($"PartitionKey eq {Partition(key)} and RowKey gt {start + after} and RowKey lt {MemberRows.RangeEnd(kind, key.MemberId)}");
        // One row more than asked tells whether another page follows, so the last page carries no continuation.
        var rows = new List<TableEntity>(pageSize + 1);
        await foreach (var row in table.QueryAsync(filter, pageSize: pageSize + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
            if (rows.Count > pageSize) break;
        }
        var page = rows.Take(pageSize).ToList();
        return new CursorPage<T>([.. page.SelectMany(read)], rows.Count > pageSize ? page[^1].RowKey[start.Length..] : null);
    }

    private static List<TableTransactionAction> Actions(MemberKey key, MemberWrite write, Func<TableEntity, TableTransactionAction> profileAction)
    {
        var partition = Partition(key);
        var actions = new List<TableTransactionAction>(8);
        if (write.Operation is { } operation) actions.Add(TableTransactionAction.Insert(MemberRows.RecordRow(partition, key.MemberId, operation, write.At)));
        if (write.Receipt is { } receipt) actions.Add(TableTransactionAction.Insert(MemberRows.HistoryRow(partition, key.MemberId, receipt, write.At)));
        // Earlier records change only under the profile's ETag, checked in this same transaction: no condition of their own.
        foreach (var updated in write.UpdatedRecords ?? [])
            actions.Add(TableTransactionAction.Upsert(MemberRows.RecordRow(partition, key.MemberId, updated, write.At), TableUpdateMode.Replace));
        if (write.Outbox is { } outbox) actions.Add(TableTransactionAction.Insert(MemberRows.OutboxRow(partition, outbox)));
        var ledgerRows = MaxActions - actions.Count - 1;
        actions.AddRange(MemberRows.LedgerRows(partition, key.MemberId, write.Ledger ?? [], write.At, ledgerRows).Select(TableTransactionAction.Insert));
        actions.Add(profileAction(MemberRows.ProfileRow(partition, write)));
        return actions;
    }

    private static string Partition(MemberKey key) => MemberShards.PartitionKey(key.ProgramId, key.Shards, key.MemberId);
}
