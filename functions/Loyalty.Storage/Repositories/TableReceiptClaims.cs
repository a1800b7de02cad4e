using Azure;
using Azure.Data.Tables;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>ReceiptClaims table: PartitionKey "{programId}|{receiptId}", RowKey "", MemberId. Uniqueness by insert.</summary>
internal sealed class TableReceiptClaims(TableClient table) : IReceiptClaims
{
    public async Task<string> ClaimAsync(string programId, string receiptId, string memberId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var partition = Partition(programId, receiptId);
        try
        {
            await table.AddEntityAsync(new TableEntity(partition, "") { ["MemberId"] = memberId, ["ClaimedAt"] = at }, cancellationToken);
            return memberId;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            var existing = await table.GetOrNullAsync<TableEntity>(partition, "", ["MemberId"], cancellationToken);
            return existing?.GetString("MemberId") ?? throw new InvalidOperationException($"Receipt claim '{partition}' conflicted on insert but cannot be " +
                "read; claims are never deleted.");
        }
    }

    public async Task<string?> FindAsync(string programId, string receiptId, CancellationToken cancellationToken) =>
        (await table.GetOrNullAsync<TableEntity>(Partition(programId, receiptId), "", ["MemberId"], cancellationToken))?.GetString("MemberId");

    private static string Partition(string programId, string receiptId) => $"{programId}|{KeyText.Escape(receiptId)}";
}
