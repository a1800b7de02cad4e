using Loyalty.Core.Receipts;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Receipts;

/// <summary>The checks only the wire format needs (the domain's <see cref="ReceiptValidator"/> makes the rest).</summary>
internal static class PosReceipts
{
    public static readonly string[] Channels = ["store", "online"];

    private const int MaxCoupons = 10;

    /// <summary>Stands in for the member of a receipt whose member is not known yet, so the domain's checks can run.</summary>
    public const string NoMember = "-";

    public static void Check(PosReceipt receipt, ErrorList errors)
    {
        if (receipt.TerminalId is not null) errors.Identifier(receipt.TerminalId, "terminalId");
        if (receipt.Coupons.Count > MaxCoupons) errors.Add(ErrorCodes.OutOfRange, "coupons", $"A receipt carries at most {MaxCoupons} coupon codes.");
        for (var i = 0; i < receipt.Coupons.Count; i++) errors.Identifier(receipt.Coupons[i], $"coupons[{i}]", Ids.MaxCodeLength);
        if (receipt.StoreId.Length > 0) errors.Identifier(receipt.StoreId, "storeId");
        if (Array.IndexOf(Channels, receipt.Channel) < 0)
            errors.Add(ErrorCodes.OutOfRange, "channel", $"channel is one of {string.Join(", ", Channels.Select(c => $"'{c}'"))}.");
        for (var i = 0; i < (receipt.Lines?.Count ?? 0); i++)
        {
            var line = receipt.Lines![i];
            if (line is null)
            {
                errors.Add(ErrorCodes.Required, $"lines[{i}]", "A line cannot be null.");
                continue;
            }
            if (line.Discount is < 0 or > ReceiptValidator.MaxAmount)
                errors.Add(ErrorCodes.OutOfRange, $"lines[{i}].discount",
                    $"A discount is the (positive) amount taken off the line, at most {ReceiptValidator.MaxAmount}.");
            if (line.UnitPrice is not { } price) continue;
            if (price is < 0 or > ReceiptValidator.MaxAmount)
                errors.Add(ErrorCodes.OutOfRange, $"lines[{i}].unitPrice", $"A unit price is 0 to {ReceiptValidator.MaxAmount}.");
            // Out of these bounds the product below could overflow; the line is refused for them already.
            if (price > ReceiptValidator.MaxAmount || line.Discount is < 0 or > ReceiptValidator.MaxAmount
                || Math.Abs(line.Quantity) > ReceiptValidator.MaxQuantity) continue;
            // Weighed goods: 0.333 kg at 19.90 is charged 6.63, so the product is rounded to the öre (cent) first.
            var expected = Math.Round(line.Quantity * price, 2, MidpointRounding.AwayFromZero) - Math.Sign(line.Quantity) * line.Discount;
            if (expected != line.Amount)
                errors.Add(ErrorCodes.LineAmountMismatch, $"lines[{i}].amount",
                    $"quantity × unitPrice (rounded to 2 decimals) {(line.Quantity < 0 ? "+" : "−")} discount is {expected}, but amount is {line.Amount}.");
        }
    }
}
