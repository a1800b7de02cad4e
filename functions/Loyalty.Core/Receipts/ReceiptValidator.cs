using Loyalty.Core.Accrual;
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

    /// <summary>No member holds more open vouchers than this (the largest <c>vouchers.maxOpen</c> a program may set).</summary>
    public const int MaxVouchers = 200;

    /// <summary>Sanity bounds that keep points and stamp arithmetic far from overflow.</summary>
    public const decimal MaxQuantity = 100_000m, MaxAmount = 1_000_000_000m;

    /// <summary>SKUs and categories.</summary>
    public const int MaxTextLength = 100;

    /// <summary>Receipt ids share the member's operation-id space with these, so they may not take their form.</summary>
    public static bool IsReserved(string? id) =>
        id is "enrol" || (id ?? "").StartsWith("till:", StringComparison.Ordinal) || (id ?? "").StartsWith("redeem:", StringComparison.Ordinal) ||
        (id ?? "").StartsWith("stamps:", StringComparison.Ordinal);

    public static IReadOnlyList<ValidationError> Validate(Receipt receipt, CompiledProgram program, DateTimeOffset now, TimeSpan? maxClockSkew = null)
    {
        var errors = new ErrorList();
        errors.Identifier(receipt.Id, "id");
        if (IsReserved(receipt.Id))
            errors.Add(ErrorCodes.ReservedId, "id", $"'{receipt.Id}' is reserved for the member's own operations (enrolment, till vouchers, redemptions, " +
                "stamps); choose another receipt id.");
        errors.Identifier(receipt.MemberId, "memberId");
        if (receipt.ReturnOf is not null) errors.Identifier(receipt.ReturnOf, "returnOf");
        if (receipt.StampsTo is not null) errors.Identifier(receipt.StampsTo, "stampsTo");
        if (!Currencies.IsKnown(receipt.Currency))
            errors.Add(ErrorCodes.UnknownCurrency, "currency", $"'{receipt.Currency}' is not an ISO 4217 currency code.");
        else if (receipt.Currency != program.Currency)
            errors.Add(ErrorCodes.CurrencyMismatch, "currency", $"The program runs in {program.Currency}; this receipt is in {receipt.Currency}.");
        var skew = maxClockSkew ?? DefaultClockSkew;
        if (receipt.PurchasedAt > now + skew)
            errors.Add(ErrorCodes.InFuture, "purchasedAt",
                $"purchasedAt {receipt.PurchasedAt:O} is more than {skew.TotalMinutes:0} minutes ahead of the server clock ({now:O}).");
        ValidateLines(receipt, program.Definition.MaxLineAmount, errors);
        if (receipt.Vouchers.Count > MaxVouchers)
            errors.Add(ErrorCodes.OutOfRange, "vouchers", $"A receipt redeems at most {MaxVouchers} vouchers.");
        for (var i = 0; i < Math.Min(receipt.Vouchers.Count, MaxVouchers); i++)
        {
            errors.Identifier(receipt.Vouchers[i], $"vouchers[{i}]", Ids.MaxVoucherIdLength);
            for (var j = 0; j < i; j++)
                if (receipt.Vouchers[j] == receipt.Vouchers[i])
                    errors.Add(ErrorCodes.Duplicate, $"vouchers[{i}]", $"Voucher '{receipt.Vouchers[i]}' is listed twice; a voucher is redeemed once.");
        }
        if (receipt.IsReturn && receipt.Vouchers.Count > 0)
            errors.Add(ErrorCodes.ReturnWithVouchers, "vouchers", "A return cannot redeem vouchers.");
        if (!errors.Any && !receipt.IsReturn) ValidatePoints(receipt, program, errors);
        return errors.Items;
    }

    /// <summary>
    /// What the purchase would earn before voucher discounts (which only lower it) stays within the program's limit:
    /// checked here, before anything is stored, rather than found out while the member's state changes.
    /// </summary>
    private static void ValidatePoints(Receipt receipt, CompiledProgram program, ErrorList errors)
    {
        var limit = program.Definition.MaxPointsPerReceipt;
        long points;
        try
        {
            var score = ReceiptScorer.Score(program, receipt, new LineScore[receipt.Lines.Count]);
            points = Math.Max(score.Points, score.QualifyingPoints);
        }
        catch (OverflowException)
        {
            // Only a version stored before the program bounds existed can get here.
            points = long.MaxValue;
        }
        if (points > limit)
            errors.Add(ErrorCodes.PointsOverLimit, "lines", $"This receipt would earn {points} points; the program allows at most {limit} per receipt.");
    }

    private static void ValidateLines(Receipt receipt, decimal maxLineAmount, ErrorList errors)
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
        // Only amounts within bounds are summed (500 of them cannot overflow); a line out of bounds is refused already.
        var sum = 0m;
        var summed = true;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var path = $"lines[{i}]";
            if (Math.Abs(line.Amount) <= MaxAmount) sum += line.Amount;
            else summed = false;
            errors.Text(line.Sku, $"{path}.sku", MaxTextLength);
            if (line.Category is null) errors.Add(ErrorCodes.Required, $"{path}.category", "Every line needs a category (it may be empty).");
            else errors.Text(line.Category, $"{path}.category", MaxTextLength, required: false);
            if (line.Quantity == 0) errors.Add(ErrorCodes.ZeroQuantity, $"{path}.quantity", "A line's quantity cannot be 0.");
            if (Math.Abs(line.Quantity) > MaxQuantity)
                errors.Add(ErrorCodes.OutOfRange, $"{path}.quantity", $"A line's quantity must be within ±{MaxQuantity}.");
            if (Math.Abs(line.Amount) > MaxAmount)
                errors.Add(ErrorCodes.OutOfRange, $"{path}.amount", $"A line's amount must be within ±{MaxAmount}.");
            else if (Math.Abs(line.Amount) > maxLineAmount)
                errors.Add(ErrorCodes.LineAmountOverLimit, $"{path}.amount", $"The program allows line amounts up to ±{maxLineAmount}.");
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
                    errors.Add(ErrorCodes.NegativeQuantity, $"{path}.quantity",
                        "A negative quantity is only allowed in a return; send it with returnOf set to the original receipt id.");
                if (line.Amount < 0)
                    errors.Add(ErrorCodes.NegativeAmount, $"{path}.amount", "A negative amount is only allowed in a return.");
                if (line.OriginalLine is not null)
                    errors.Add(ErrorCodes.OriginalLineOutsideReturn, $"{path}.originalLine", "originalLine only means something in a return.");
            }
        }
        if (summed && sum != receipt.Total)
            errors.Add(ErrorCodes.TotalMismatch, "total", $"The total {receipt.Total} does not equal the sum of the line amounts, {sum}.");
    }
}
