using Azure;
using Azure.Data.Tables;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Privacy;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Audit table: PartitionKey "{programId}|{memberId}", RowKey "{newest first}|{entryId}": a member's trail is one
/// partition, read newest first. Entries are only ever added, except that erasure rewrites reasons quoting the member.
/// </summary>
internal sealed class TableAuditLog(TableClient table) : IAuditLog
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        await table.AddEntityAsync(new TableEntity(Partition(entry.ProgramId, entry.MemberId), $"{KeyText.NewestFirst(entry.At)}|{entry.Id}")
        {
            ["Id"] = entry.Id,
            ["At"] = entry.At,
            ["Actor"] = entry.Actor,
            ["Action"] = entry.Action,
            ["Reason"] = entry.Reason,
            ["Detail"] = entry.Detail,
        }.WithoutNulls(), cancellationToken);

    public async Task<CursorPage<AuditEntry>> ListAsync(string programId, string memberId, int pageSize, string? after, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(programId, memberId)} and RowKey gt {after ?? ""}");
        // One row more than asked tells whether another page follows.
        var rows = new List<TableEntity>(pageSize + 1);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize + 1, cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > pageSize) break;
        }
        var page = rows.Take(pageSize).ToList();
        return new CursorPage<AuditEntry>([.. page.Select(row => Read(programId, memberId, row))], rows.Count > pageSize ? page[^1].RowKey : null);
    }

    public async Task<int> ScrubAsync(string programId, string memberId, Redaction redaction, CancellationToken cancellationToken)
    {
        var quoting = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition(programId, memberId)}"), cancellationToken: cancellationToken))
            if (row.GetString("Reason") is { } reason && redaction.Scrub(reason) != reason) quoting.Add(row);
        foreach (var row in quoting)
        {
            row["Reason"] = redaction.Scrub(row.GetString("Reason")!);
            try
            {
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException e) when (e.IsConditionFailed())
            {
                // Entries never change otherwise, so only a concurrent erasure of the same member got here first.
            }
        }
        return quoting.Count;
    }

    private static AuditEntry Read(string programId, string memberId, TableEntity row) => new(
        row.Required("Id"), programId, memberId, row.GetDateTimeOffset("At") ?? default, row.Required("Actor"), row.Required("Action"), row.GetString("Reason"),
            row.GetString("Detail"));

    private static string Partition(string programId, string memberId) => $"{programId}|{memberId}";
}
