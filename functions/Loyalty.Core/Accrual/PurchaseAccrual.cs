using System.Collections.Immutable;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.StampCards;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Accrual;

/// <summary>Applies a validated purchase to a member: redeem vouchers, earn points, convert to vouchers, stamp cards, re-evaluate the tier.</summary>
internal static class PurchaseAccrual
{
    public static Result<(Transition Transition, ScoredPurchase Purchase)> Apply(MemberState state, CompiledProgram program, Receipt receipt)
    {
        var on = program.LocalDate(receipt.PurchasedAt);
        var work = new MemberWork(state, program);
        work.AdvanceTo(on);
        var tierBefore = work.TierIndex;
        var qualifyingBefore = work.QualifyingPoints;

        var redemptions = PlanRedemptions(work, receipt, on);
        if (!redemptions.IsValid) return Result<(Transition, ScoredPurchase)>.Fail(redemptions.Errors);
        var discount = 0m;
        foreach (var (voucher, amount) in redemptions.Value)
        {
            work.Redeem(receipt.Id, on, voucher, amount);
            discount += amount;
        }

        var scores = new LineScore[receipt.Lines.Count];
        var score = ReceiptScorer.Score(program, receipt, scores, discount);
        var counted = work.Earn(receipt.Id, on, score.Points, score.QualifyingPoints);
        work.ConvertPoints(receipt.Id, on);

        var transfers = new List<StampTransfer>();
        var stampsTo = receipt.StampsTo is { } to && to != receipt.MemberId ? to : null;
        foreach (var card in program.StampCards)
        {
            var stamps = StampCounter.Count(card, receipt.Lines, scores, default);
            if (stamps == 0) continue;
            if (stampsTo is not null) transfers.Add(new StampTransfer(receipt.MemberId, receipt.Id, stampsTo, card.Definition.Id, stamps, on));
            else work.AddStamps(receipt.Id, on, card, stamps);
        }

        work.UpdateTier(receipt.Id, on);
        work.NotifyNearNextTier(receipt.Id, on, tierBefore, qualifyingBefore);
        var purchase = new ScoredPurchase(receipt, program.Version, on, work.Window.Start, [.. scores], ImmutableArray.Create(new decimal[scores.Length]));
        return (work.ToTransition(receipt.Id, score.Points, counted, discount, transfers), purchase);
    }

    /// <summary>
    /// Each voucher takes at most what is left of the receipt total, so a voucher is never worth more than the
    /// receipt; a free-item voucher takes one unit of the dearest matching line, capped at its value.
    /// </summary>
    private static Result<List<(Voucher, decimal)>> PlanRedemptions(MemberWork work, Receipt receipt, DateOnly on)
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
                else errors.Add(ErrorCodes.VoucherNotOpen, path, $"Voucher '{id}' is not open for this member: unknown, already redeemed, expired or cancelled.");
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
