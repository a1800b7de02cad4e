using Azure;
using Azure.Data.Tables;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// MemberAuth table. Code rows: PartitionKey "{programId}|code|{subject}", RowKey "" (subject: a keyed HMAC of the
/// identifier). Counters: PartitionKey "{programId}|{counter}" (e.g. "zoo|addr|codes|{address HMAC}|2026030210"), RowKey "".
/// One partition per row spreads the load and keeps every write a single-entity conditional write. Every row has
/// <c>Until</c>, after which the sweep deletes it.
/// </summary>
internal sealed class TableMemberAuthStore(TableClient table) : IMemberAuthStore
{
    private const int MaxIncrementRounds = 10;

    public async Task<StoredCode?> GetCodeAsync(string programId, string subject, CancellationToken cancellationToken) =>
        await table.GetOrNullAsync<TableEntity>(CodeKey(programId, subject), "", cancellationToken: cancellationToken) is { } row
            ? new StoredCode(
                new CodeState(
                    row.GetString("MemberId"),
                    row.GetString("CodeHash"),
                    row.GetString("LinkHash"),
                    row.GetDateTimeOffset("ExpiresAt") ?? default,
                    row.GetInt32("FailedAttempts") ?? 0,
                    row.GetDateTimeOffset("WindowStart") ?? default,
                    row.GetInt32("SentInWindow") ?? 0,
                    row.GetDateTimeOffset("Until") ?? default),
                row.ETag.ToString())
            : null;

    public async Task<bool> TrySaveCodeAsync(string programId, string subject, CodeState state, string? version, CancellationToken cancellationToken)
    {
        var row = new TableEntity(CodeKey(programId, subject), "")
        {
            ["MemberId"] = state.MemberId,
            ["CodeHash"] = state.CodeHash,
            ["LinkHash"] = state.LinkHash,
            ["ExpiresAt"] = state.ExpiresAt,
            ["FailedAttempts"] = state.FailedAttempts,
            ["WindowStart"] = state.WindowStart,
            ["SentInWindow"] = state.SentInWindow,
            ["Until"] = state.Until,
        }.WithoutNulls();
        try
        {
            if (version is null) await table.AddEntityAsync(row, cancellationToken);
            else await table.UpdateEntityAsync(row, new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict() || e.IsConditionFailed() || e.IsNotFound())
        {
            return false;
        }
    }

    public async Task DeleteCodesAsync(string programId, IReadOnlyList<string> subjects, CancellationToken cancellationToken)
    {
        foreach (var subject in subjects)
            await table.DeleteEntityAsync(CodeKey(programId, subject), "", cancellationToken: cancellationToken);
    }

    /// <summary>Read, then insert or replace at the version read; a lost race reads again. One that keeps losing counts as over any limit.</summary>
    public async Task<int> IncrementAsync(string programId, string counter, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var partition = $"{programId}|{counter}";
        for (var round = 0; round < MaxIncrementRounds; round++)
        {
            var current = await table.GetOrNullAsync<TableEntity>(partition, "", cancellationToken: cancellationToken);
            var count = (current?.GetInt32("Count") ?? 0) + 1;
            var row = new TableEntity(partition, "") { ["Count"] = count, ["Until"] = until };
            try
            {
                if (current is null) await table.AddEntityAsync(row, cancellationToken);
                else await table.UpdateEntityAsync(row, current.ETag, TableUpdateMode.Replace, cancellationToken);
                return count;
            }
            catch (RequestFailedException e) when (e.IsConflict() || e.IsConditionFailed() || e.IsNotFound())
            {
                // Another request of the same counter won: count again.
            }
        }
        return int.MaxValue;
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var expired = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"Until lt {before}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            expired.Add(row);
        var deleted = 0;
        foreach (var row in expired)
        {
            try
            {
                if ((await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken)).Status != 404) deleted++;
            }
            catch (RequestFailedException e) when (e.IsConditionFailed())
            {
                // A new code or a new window since the query: in use again.
            }
        }
        return deleted;
    }

    private static string CodeKey(string programId, string subject) => $"{programId}|code|{subject}";
}
