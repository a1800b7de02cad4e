using Loyalty.Core.Members;
using Loyalty.Core.Ledger;

namespace Loyalty.Core.Application.Ports;

/// <summary>A member's operation records, receipt history and ledger, as the member writes of <see cref="IMemberStore"/> left them.</summary>
public interface IMemberHistory
{
    Task<OperationRecord?> GetOperationAsync(MemberKey key, string operationId, CancellationToken cancellationToken);

    /// <summary>Receipts newest first, starting after the cursor of the previous page's last item.</summary>
    Task<CursorPage<ReceiptSummary>> ListReceiptsAsync(MemberKey key, int pageSize, string? after, CancellationToken cancellationToken);

    /// <summary>Ledger entries newest first, starting after the cursor of the previous page.</summary>
    Task<CursorPage<LedgerEntry>> ListLedgerAsync(MemberKey key, int pageSize, string? after, CancellationToken cancellationToken);
}
