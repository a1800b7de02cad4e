using Loyalty.Core.Accrual;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;

namespace Loyalty.Core.StampCards;

/// <summary>
/// Counts a card's stamps for a receipt given how much of each line has been returned. Returns reverse
/// "stamps before − stamps after", so a full return takes back exactly what the purchase gave.
/// </summary>
internal static class StampCounter
{
    public static int Count(CompiledStampCard card, IReadOnlyList<ReceiptLine> lines, ReadOnlySpan<LineScore> scores, ReadOnlySpan<decimal> returned)
    {
        var definition = card.Definition;
        if (definition.Rule == StampRule.PerItem)
        {
            var stamps = 0;
            for (var i = 0; i < lines.Count; i++)
                if (card.Qualifying.Matches(lines[i]))
                    stamps = checked(stamps + (int)decimal.Floor(Remaining(lines[i].Quantity, returned, i)));
            return stamps;
        }
        var paid = 0m;
        for (var i = 0; i < lines.Count; i++)
            if (card.Qualifying.Matches(lines[i]))
                paid += scores[i].Paid * Remaining(lines[i].Quantity, returned, i) / lines[i].Quantity;
        return (int)decimal.Floor(paid / definition.AmountPerStamp);
    }

    private static decimal Remaining(decimal quantity, ReadOnlySpan<decimal> returned, int i) => returned.IsEmpty ? quantity : quantity - returned[i];
}
