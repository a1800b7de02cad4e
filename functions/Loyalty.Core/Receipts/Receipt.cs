namespace Loyalty.Core.Receipts;

/// <summary>
/// A purchase or, with <see cref="ReturnOf"/>, a return of items from an earlier receipt of the same member
/// (return lines carry negative quantities and amounts). <see cref="Total"/> must equal the sum of the line amounts;
/// <see cref="Vouchers"/> are redeemed against it.
/// </summary>
public sealed record Receipt
{
    /// <summary>Unique per program; a receipt resent with the same id is applied once.</summary>
    public required string Id { get; init; }
    public required string MemberId { get; init; }
    public string StoreId { get; init; } = "";
    public string Channel { get; init; } = "store";
    public required DateTimeOffset PurchasedAt { get; init; }
    public required string Currency { get; init; }
    public required decimal Total { get; init; }
    public required IReadOnlyList<ReceiptLine> Lines { get; init; }
    public IReadOnlyList<string> Vouchers { get; init; } = [];
    public string? ReturnOf { get; init; }

    /// <summary>A household member whose stamp cards receive this receipt's stamps instead of the buyer's.</summary>
    public string? StampsTo { get; init; }

    public bool IsReturn => ReturnOf is not null;
}

/// <summary>
/// One line: <see cref="Amount"/> is the line total actually charged. On a return, <see cref="OriginalLine"/>
/// (0-based) may name the line of the original receipt; without it the first original lines with the same SKU are used.
/// </summary>
public sealed record ReceiptLine(string Sku, string Category, decimal Quantity, decimal Amount, int? OriginalLine = null);
