using Azure.Data.Tables;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// ParkedReceipts table: PartitionKey "{programId}|{kind}|{value}" (the same key as the identity it waits for),
/// RowKey the receipt id. Enrolment reads one partition; the program-wide listing is a PartitionKey range.
/// </summary>
internal sealed class TableParkedReceiptStore(TableClient table) : IParkedReceiptStore
{
    public async Task ParkAsync(IdentityKey identity, ParkedReceipt receipt, CancellationToken cancellationToken)
    {
        var row = new TableEntity(TableIdentityStore.PartitionKey(identity), KeyText.Escape(receipt.Receipt.Id))
        {
            ["ParkedAt"] = receipt.ParkedAt,
            ["Archive"] = receipt.Archive,
            ["Refused"] = receipt.Refused,
        }.WithoutNulls();
        JsonColumns.WriteChunked(row, "Receipt", LoyaltyJson.Serialize(receipt.Receipt));
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<ParkedReceipt>> ListAsync(IdentityKey identity, CancellationToken cancellationToken)
    {
        var found = new List<ParkedReceipt>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {TableIdentityStore.PartitionKey(identity)}"), cancellationToken: cancellationToken))
            found.Add(Read(row, identity.Kind, identity.Value));
        return found;
    }

    public async Task<CursorPage<ParkedReceipt>> ListProgramAsync(string programId, int pageSize, string? after, CancellationToken cancellationToken)
    {
        string? from;
        try
        {
            from = after is null ? null : TablePages.FromCursor(after);
        }
        catch (FormatException)
        {
            return new CursorPage<ParkedReceipt>([], null);
        }
        var filter = TableClient.CreateQueryFilter($"PartitionKey gt {programId + "|"} and PartitionKey lt {programId + "}"}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(from, pageSize))
        {
            // The service may return an empty page with a continuation (its time budget ran out): keep going.
            if (page.Values.Count == 0 && page.ContinuationToken is not null) continue;
            var items = page.Values.Select(row =>
            {
                var (kind, value) = TableIdentityStore.ParsePartitionKey(row.PartitionKey);
                return Read(row, kind, value);
            }).ToList();
            return new CursorPage<ParkedReceipt>(items, TablePages.ToCursor(page.ContinuationToken));
        }
        return new CursorPage<ParkedReceipt>([], null);
    }

    /// <summary>A scan of the program's range for one row key: an operator's occasional look-up, not a hot path.</summary>
    public async Task<IReadOnlyList<ParkedReceipt>> FindAsync(string programId, string receiptId, CancellationToken cancellationToken)
    {
        var found = new List<ParkedReceipt>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey gt {programId + "|"} and PartitionKey lt {programId + "}"} and RowKey eq {KeyText.Escape(receiptId)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var (kind, value) = TableIdentityStore.ParsePartitionKey(row.PartitionKey);
            found.Add(Read(row, kind, value));
        }
        return found;
    }

    public async Task<IReadOnlyList<ParkedReceipt>> ListWaitingReturnsAsync(string programId, CancellationToken cancellationToken)
    {
        // Partition keys of kind purchase share this prefix; '}' follows '|' in ordinal order, so the range ends there.
        var prefix = TableIdentityStore.PartitionKey(new IdentityKey(programId, IdentityKind.Purchase, ""));
        var end = prefix[..^1] + "}";
        var found = new List<ParkedReceipt>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {end}"), cancellationToken: cancellationToken))
        {
            var (kind, value) = TableIdentityStore.ParsePartitionKey(row.PartitionKey);
            found.Add(Read(row, kind, value));
        }
        return found;
    }

    public async Task DeleteAsync(IdentityKey identity, string receiptId, CancellationToken cancellationToken) =>
        await table.DeleteEntityAsync(TableIdentityStore.PartitionKey(identity), KeyText.Escape(receiptId), cancellationToken: cancellationToken);

    private static ParkedReceipt Read(TableEntity row, IdentityKind kind, string value) => new(
        LoyaltyJson.Deserialize<PosReceipt>(JsonColumns.ReadChunked(row, "Receipt")),
        kind,
        value,
        row.GetDateTimeOffset("ParkedAt") ?? default,
        row.GetString("Archive"),
        row.GetString("Refused"));
}
