using Loyalty.Core.Money;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Receipts;

/// <summary>
/// The checks a receipt must pass on its own (shape, signs, totals, currency, time). Checks that need the
/// member's history (the original of a return, open vouchers) are made by <see cref="Members.MemberBook"/>.
/// </summary>
public static class ReceiptValidator
{
    /// <summary>How far a till's clock may run ahead of ours before its receipt counts as "from the future".</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(5);

    public const int MaxLines = 500;

    /// <summary>Sanity bounds that keep points and stamp arithmetic far from overflow.</summary>
    public const decimal MaxQuantity = 100_000m, MaxAmount = 1_000_000_000m;

    /// <summary>Receipt ids share the member's operation-id space with these, so they may not take their form.</summary>
    public static bool IsReserved(string? id) =>
        id is "enrol" || (id ?? "").StartsWith("till:", StringComparison.Ordinal) || (id ?? "").StartsWith("redeem:", StringComparison.Ordinal) ||
        (id ?? "").StartsWith("stamps:", StringComparison.Ordinal);

    public static IReadOnlyList<ValidationError> Validate(Receipt receipt, CompiledProgram program, DateTimeOffset now, TimeSpan? maxClockSkew = null)
    {
        var errors = new ErrorList();
        errors.Identifier(receipt.Id, "id");
        if (IsReserved(receipt.Id))
            errors.Add(ErrorCodes.ReservedId, "id", $"'{receipt.Id}' is reserved for the member's own operations (enrolment, till vouchers, redemptions, stamps); choose another receipt id.");
        errors.Identifier(receipt.MemberId, "memberId");
        if (receipt.ReturnOf is not null) errors.Identifier(receipt.ReturnOf, "returnOf");
        if (receipt.StampsTo is not null) errors.Identifier(receipt.StampsTo, "stampsTo");
        if (!Currencies.IsKnown(receipt.Currency))
            errors.Add(ErrorCodes.UnknownCurrency, "currency", $"'{receipt.Currency}' is not an ISO 4217 currency code.");
        else if (receipt.Currency != program.Currency)
            errors.Add(ErrorCodes.CurrencyMismatch, "currency", $"The program runs in {program.Currency}; this receipt is in {receipt.Currency}.");
        var skew = maxClockSkew ?? DefaultClockSkew;
        if (receipt.PurchasedAt > now + skew)
            errors.Add(ErrorCodes.InFuture, "purchasedAt", $"purchasedAt {receipt.PurchasedAt:O} is more than {skew.TotalMinutes:0} minutes ahead of the server clock ({now:O}).");
        ValidateLines(receipt, errors);
        for (var i = 0; i < receipt.Vouchers.Count; i++)
        {
            errors.Identifier(receipt.Vouchers[i], $"vouchers[{i}]", 200);
            for (var j = 0; j < i; j++)
                if (receipt.Vouchers[j] == receipt.Vouchers[i])
                    errors.Add(ErrorCodes.Duplicate, $"vouchers[{i}]", $"Voucher '{receipt.Vouchers[i]}' is listed twice; a voucher is redeemed once.");
        }
        if (receipt.IsReturn && receipt.Vouchers.Count > 0)
            errors.Add(ErrorCodes.ReturnWithVouchers, "vouchers", "A return cannot redeem vouchers.");
        return errors.Items;
    }

    private static void ValidateLines(Receipt receipt, ErrorList errors)
    {
        var lines = receipt.Lines;
        if (lines is null || lines.Count == 0)
        {
            errors.Add(ErrorCodes.NoLines, "lines", "A receipt needs at least one line.");
            return;
        }
        if (lines.Count > MaxLines)
        {
            errors.Add(ErrorCodes.TooManyLines, "lines", $"A receipt may have at most {MaxLines} lines; this one has {lines.Count}.");
            return;
        }
        var sum = 0m;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var path = $"lines[{i}]";
            sum += line.Amount;
            if (string.IsNullOrWhiteSpace(line.Sku)) errors.Add(ErrorCodes.Required, $"{path}.sku", "Every line needs a SKU.");
            if (line.Category is null) errors.Add(ErrorCodes.Required, $"{path}.category", "Every line needs a category (it may be empty).");
            if (line.Quantity == 0) errors.Add(ErrorCodes.ZeroQuantity, $"{path}.quantity", "A line's quantity cannot be 0.");
            if (Math.Abs(line.Quantity) > MaxQuantity)
                errors.Add(ErrorCodes.OutOfRange, $"{path}.quantity", $"A line's quantity must be within ±{MaxQuantity}.");
            if (Math.Abs(line.Amount) > MaxAmount)
                errors.Add(ErrorCodes.OutOfRange, $"{path}.amount", $"A line's amount must be within ±{MaxAmount}.");
            if (receipt.IsReturn)
            {
                if (line.Quantity > 0)
                    errors.Add(ErrorCodes.ReturnPositiveQuantity, $"{path}.quantity", "Lines of a return carry negative quantities (the items going back).");
                if (line.Amount > 0)
                    errors.Add(ErrorCodes.ReturnPositiveAmount, $"{path}.amount", "Lines of a return carry negative amounts (the money going back).");
            }
            else
            {
                if (line.Quantity < 0)
                    errors.Add(ErrorCodes.NegativeQuantity, $"{path}.quantity", "A negative quantity is only allowed in a return; send it with returnOf set to the original receipt id.");
                if (line.Amount < 0)
                    errors.Add(ErrorCodes.NegativeAmount, $"{path}.amount", "A negative amount is only allowed in a return.");
                if (line.OriginalLine is not null)
                    errors.Add(ErrorCodes.OriginalLineOutsideReturn, $"{path}.originalLine", "originalLine only means something in a return.");
            }
        }
        if (sum != receipt.Total)
            errors.Add(ErrorCodes.TotalMismatch, "total", $"The total {receipt.Total} does not equal the sum of the line amounts, {sum}.");
    }
}
