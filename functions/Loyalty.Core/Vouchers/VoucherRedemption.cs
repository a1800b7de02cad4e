using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Vouchers;

/// <summary>
/// Redeeming open vouchers: on a receipt (<see cref="Accrual.PurchaseAccrual"/> calls it before scoring, so the discount
/// lowers what earns points) and outside one (a web-shop checkout, a service desk: <see cref="MemberBook.RedeemVoucher"/>).
/// </summary>
internal static class VoucherRedemption
{
    /// <summary>Redeems the receipt's vouchers, all or none.</summary>
    /// <returns>The discount: what the vouchers took off the receipt.</returns>
    public static Result<decimal> OnReceipt(MemberWork work, Receipt receipt, DateOnly on)
    {
        var plan = Plan(work, receipt, on);
        if (!plan.IsValid) return Result<decimal>.Fail(plan.Errors);
        var discount = 0m;
        foreach (var (voucher, amount) in plan.Value)
        {
            work.Redeem(receipt.Id, on, voucher, amount);
            discount += amount;
        }
        return discount;
    }

    /// <summary>Redeems one open voucher in full, as operation <paramref name="operationId"/>.</summary>
    public static Result<Transition> OutsideReceipt(MemberState state, CompiledProgram program, string operationId, string voucherId, DateOnly on)
    {
        var work = new MemberWork(state, program);
        work.AdvanceTo(on);
        var voucher = work.Vouchers.Find(v => v.Id == voucherId);
        if (voucher is null || voucher.IssuedOn > on)
            return work.ExpiredNow.Contains(voucherId)
                ? Result<Transition>.Fail(ErrorCodes.VoucherExpired, "voucherId", $"Voucher '{voucherId}' has expired.")
                : Result<Transition>.Fail(ErrorCodes.VoucherNotOpen, "voucherId",
                    $"Voucher '{voucherId}' is not open for this member: unknown, already redeemed, expired or cancelled.");
        work.Redeem(operationId, on, voucher, voucher.Value);
        return work.ToTransition(operationId, discount: voucher.Value);
    }

    /// <summary>
    /// Each voucher takes at most what is left of the receipt total, so a voucher is never worth more than the
    /// receipt; a free-item voucher takes one unit of the dearest matching line, capped at its value.
    /// </summary>
    private static Result<List<(Voucher, decimal)>> Plan(MemberWork work, Receipt receipt, DateOnly on)
    {
        var errors = new ErrorList();
        var plan = new List<(Voucher, decimal)>();
        var left = receipt.Total;
        for (var i = 0; i < receipt.Vouchers.Count; i++)
        {
            var id = receipt.Vouchers[i];
            var path = $"vouchers[{i}]";
            var voucher = work.Vouchers.Find(v => v.Id == id);
            if (voucher is null)
            {
                if (work.ExpiredNow.Contains(id)) errors.Add(ErrorCodes.VoucherExpired, path, $"Voucher '{id}' expired before this purchase.");
                else errors.Add(ErrorCodes.VoucherNotOpen, path,
                    $"Voucher '{id}' is not open for this member: unknown, already redeemed, expired or cancelled.");
                continue;
            }
            if (voucher.IssuedOn > on)
            {
                errors.Add(ErrorCodes.VoucherNotOpen, path, $"Voucher '{id}' was issued on {voucher.IssuedOn:yyyy-MM-dd}, after this purchase.");
                continue;
            }
            var worth = voucher.Value;
            if (voucher.FreeItem is { } item)
            {
                var unit = DearestUnit(item.Compile(), receipt.Lines);
                if (unit is null)
                {
                    errors.Add(ErrorCodes.VoucherItemNotOnReceipt, path, $"Voucher '{id}' gives a free item, but no line on the receipt qualifies.");
                    continue;
                }
                worth = Math.Min(worth, unit.Value);
            }
            var amount = Math.Min(worth, left);
            left -= amount;
            plan.Add((voucher, amount));
        }
        return errors.Any ? Result<List<(Voucher, decimal)>>.Fail(errors.Items) : plan;
    }

    private static decimal? DearestUnit(CompiledSelector selector, IReadOnlyList<ReceiptLine> lines)
    {
        decimal? best = null;
        foreach (var line in lines)
        {
            if (!selector.Matches(line)) continue;
            var unit = line.Quantity >= 1 ? line.Amount / line.Quantity : line.Amount;
            if (best is null || unit > best) best = unit;
        }
        return best;
    }
}
