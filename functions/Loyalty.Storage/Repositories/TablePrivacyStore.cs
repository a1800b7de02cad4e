using Azure.Data.Tables;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Events;
using Loyalty.Core.Members;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>The Members table's rows for export and erasure (<see cref="PrivacyRows"/>, and whole ranges of <see cref="MemberRows"/>).</summary>
internal sealed class TablePrivacyStore(TableClient table) : IPrivacyStore
{
    public Task<IReadOnlyList<ConsentChange>> ListConsentHistoryAsync(MemberKey key, CancellationToken cancellationToken) =>
        RangeAsync(key, MemberRows.RangeStart(PrivacyRows.Consent, key.MemberId), MemberRows.RangeEnd(PrivacyRows.Consent, key.MemberId),
            PrivacyRows.ReadConsent, cancellationToken);

    /// <summary>Operation ids are escaped in keys (<see cref="KeyText"/>), so the prefix is too; the range ends where its last character is one
    /// higher.</summary>
    public Task<IReadOnlyList<OperationRecord>> ListOperationsAsync(MemberKey key, string prefix, CancellationToken cancellationToken)
    {
        var start = MemberRows.Record(key.MemberId, prefix);
        var end = prefix.Length == 0 ? MemberRows.RangeEnd("r", key.MemberId) : start[..^1] + (char)(start[^1] + 1);
        return RangeAsync(key, start, end, MemberRows.ReadRecord, cancellationToken);
    }

    public Task<IReadOnlyList<Notification>> ListOutboxAsync(MemberKey key, CancellationToken cancellationToken) =>
        RangeAsync(key, MemberRows.RangeStart(MemberRows.Outbox, key.MemberId),
            MemberRows.RangeEnd(MemberRows.Outbox, key.MemberId), MemberRows.ReadOutbox, cancellationToken);

    public async Task<ErasureRecord?> GetErasureAsync(MemberKey key, CancellationToken cancellationToken) =>
        await table.GetOrNullAsync<TableEntity>(Partition(key), PrivacyRows.Erasure(key.MemberId), cancellationToken: cancellationToken) is { } row
            ? PrivacyRows.ReadErasure(row)
            : null;

    public async Task<CommitResult> CommitErasureAsync(
        MemberKey key, MemberWrite write, ErasureRecord record, string concurrencyToken, CancellationToken cancellationToken)
    {
        // The record's insert comes first, so a 409 on action 0 can only mean "erased before".
        List<TableTransactionAction> actions = [new TableTransactionAction(TableTransactionActionType.Add, PrivacyRows.ErasureRow(Partition(key), record)),
            .. TableMemberStore.Actions(key, write, concurrencyToken)];
        try
        {
            await table.SubmitCheckedAsync(actions, cancellationToken);
            return CommitResult.Committed;
        }
        catch (TableTransactionFailedException e) when (e.IsConflict() && e.FailedTransactionActionIndex == 0)
        {
            return CommitResult.AlreadyApplied;
        }
        catch (TableTransactionFailedException e) when (e.IsConditionFailed() || e.IsNotFound())
        {
            return CommitResult.Conflict;
        }
    }

    private async Task<IReadOnlyList<T>> RangeAsync<T>(MemberKey key, string from, string to, Func<TableEntity, T> read, CancellationToken cancellationToken)
    {
        var found = new List<T>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(key)} and RowKey ge {from} and RowKey lt {to}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            found.Add(read(row));
        return found;
    }

    private static string Partition(MemberKey key) => MemberShards.PartitionKey(key.ProgramId, key.Shards, key.MemberId);
}
