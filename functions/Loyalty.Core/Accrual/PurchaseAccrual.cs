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

        var redeemed = VoucherRedemption.OnReceipt(work, receipt, on);
        if (!redeemed.IsValid) return Result<(Transition, ScoredPurchase)>.Fail(redeemed.Errors);
        var discount = redeemed.Value;

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
        work.CountReceipt();
        work.NotifyNearNextTier(receipt.Id, on, tierBefore, qualifyingBefore);
        var purchase = new ScoredPurchase(receipt, program.Version, on, work.Window.Start, [.. scores], ImmutableArray.Create(new decimal[scores.Length]));
        return (work.ToTransition(receipt.Id, score.Points, counted, discount, transfers), purchase);
    }
}
