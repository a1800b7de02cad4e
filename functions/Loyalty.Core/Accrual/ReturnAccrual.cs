using System.Collections.Immutable;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.StampCards;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Accrual;

/// <summary>
/// Applies a return: matches each returned line to the original purchase's lines and reverses, per line, the share
/// of points, qualifying points and stamps that the returned quantity earned. Shares are cumulative
/// (returned-so-far / bought), so any series of partial returns adds up to exactly what a full return reverses.
/// </summary>
internal static class ReturnAccrual
{
    public static Result<(Transition Transition, ScoredPurchase Original)> Apply(
        MemberState state, CompiledProgram program, Receipt receipt, ScoredPurchase original, CompiledProgram originalProgram)
    {
        var returnedNow = Match(receipt, original);
        if (!returnedNow.IsValid) return Result<(Transition, ScoredPurchase)>.Fail(returnedNow.Errors);
        var before = original.Returned.AsSpan();
        var after = new decimal[before.Length];
        long points = 0, qualifying = 0;
        for (var i = 0; i < after.Length; i++)
        {
            after[i] = before[i] + returnedNow.Value[i];
            var bought = original.Receipt.Lines[i].Quantity;
            var line = original.Lines[i];
            points += Share(line.Points, after[i], bought) - Share(line.Points, before[i], bought);
            qualifying += Share(line.QualifyingPoints, after[i], bought) - Share(line.QualifyingPoints, before[i], bought);
        }

        var on = program.LocalDate(receipt.PurchasedAt);
        var work = new MemberWork(state, program);
        work.AdvanceTo(on);
        var removed = work.Reverse(receipt.Id, on, original, points, qualifying);

        var transfers = new List<StampTransfer>();
        var stampsTo = original.Receipt.StampsTo is { } to && to != original.Receipt.MemberId ? to : null;
        var lines = original.Receipt.Lines;
        var scores = original.Lines.AsSpan();
        foreach (var card in originalProgram.StampCards)
        {
            var stamps = StampCounter.Count(card, lines, scores, before) - StampCounter.Count(card, lines, scores, after);
            if (stamps == 0) continue;
            if (stampsTo is not null)
                transfers.Add(new StampTransfer(receipt.MemberId, receipt.Id, stampsTo, card.Definition.Id, -stamps, on, original.Receipt.Id));
            else
                work.RemoveStamps(receipt.Id, on, card, stamps, original.Receipt.Id);
        }

        work.UpdateTier(receipt.Id, on);
        work.CountReceipt();
        var updated = original with { Returned = ImmutableArray.Create(after) };
        return (work.ToTransition(receipt.Id, -points, -removed, 0m, transfers), updated);
    }

    private static long Share(long earned, decimal returned, decimal bought) =>
        returned >= bought ? earned : (long)decimal.Floor(earned * returned / bought);

    /// <summary>Returned quantity per original line, or errors naming the return line that cannot be matched.</summary>
    private static Result<decimal[]> Match(Receipt receipt, ScoredPurchase original)
    {
        var errors = new ErrorList();
        var lines = original.Receipt.Lines;
        var taken = new decimal[lines.Count];
        for (var i = 0; i < receipt.Lines.Count; i++)
        {
            var line = receipt.Lines[i];
            var path = $"lines[{i}]";
            var wanted = -line.Quantity;
            if (line.OriginalLine is { } index)
            {
                if (index < 0 || index >= lines.Count || lines[index].Sku != line.Sku)
                {
                    errors.Add(ErrorCodes.ReturnLineNotInOriginal, $"{path}.originalLine",
                        $"Line {index} of receipt '{original.Receipt.Id}' is not SKU '{line.Sku}'.");
                    continue;
                }
                wanted -= TakeFrom(index, wanted);
            }
            else
            {
                var found = false;
                for (var j = 0; j < lines.Count && wanted > 0; j++)
                {
                    if (lines[j].Sku != line.Sku) continue;
                    found = true;
                    wanted -= TakeFrom(j, wanted);
                }
                if (!found)
                {
                    errors.Add(ErrorCodes.ReturnLineNotInOriginal, $"{path}.sku", $"Receipt '{original.Receipt.Id}' has no line with SKU '{line.Sku}'.");
                    continue;
                }
            }
            if (wanted > 0)
                errors.Add(ErrorCodes.ReturnExceedsOriginal, $"{path}.quantity",
                    $"Returning {-line.Quantity} of '{line.Sku}' is {wanted} more than is left to return from receipt '{original.Receipt.Id}'.");
        }
        return errors.Any ? Result<decimal[]>.Fail(errors.Items) : taken;

        decimal TakeFrom(int j, decimal wanted)
        {
            var take = Math.Min(wanted, lines[j].Quantity - original.Returned[j] - taken[j]);
            if (take <= 0) return 0;
            taken[j] += take;
            return take;
        }
    }
}
