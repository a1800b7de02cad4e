using Loyalty.Core.Money;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;

namespace Loyalty.Core.Accrual;

/// <summary>What one receipt line earned; <see cref="Paid"/> is its amount after its share of voucher discounts.</summary>
public readonly record struct LineScore(long Points, long QualifyingPoints, decimal Paid);

/// <summary>The totals of a scored receipt.</summary>
public readonly record struct ReceiptScore(long Points, long QualifyingPoints);

/// <summary>
/// Scores receipts per line, so a return can reverse exactly what each line earned. Allocation-free: the caller
/// provides the span for the line scores (stackalloc or a pooled array).
/// </summary>
public static class ReceiptScorer
{
    /// <summary>
    /// Scores a purchase. Vouchers are a means of payment: a <paramref name="discount"/> reduces every line's
    /// earning base in proportion, so no points are earned on what a voucher paid.
    /// </summary>
    public static ReceiptScore Score(CompiledProgram program, Receipt receipt, Span<LineScore> scores, decimal discount = 0m)
    {
        var lines = receipt.Lines;
        if (scores.Length < lines.Count) throw new ArgumentException("The span must hold one score per line.", nameof(scores));
        var definition = program.Definition;
        var paidShare = discount == 0m || receipt.Total == 0m ? 1m : (receipt.Total - discount) / receipt.Total;
        var earns = receipt.Total - discount >= definition.Earn.MinimumSpend;
        var rates = program.CategoryRates;
        var hasRates = rates.Count > 0;
        var excluded = program.ExcludedSkus;
        var hasExclusions = excluded.Count > 0;
        var rounding = definition.Rounding;
        long points = 0, qualifying = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var paid = paidShare == 1m ? line.Amount : line.Amount * paidShare;
            if (!earns || (hasExclusions && excluded.Contains(line.Sku)))
            {
                scores[i] = new LineScore(0, 0, paid);
                continue;
            }
            var rate = hasRates && rates.TryGetValue(line.Category, out var r) ? r : program.DefaultRate;
            var linePoints = Rounding.ToPoints(paid * rate.Points, rounding);
            var lineQualifying = rate.Qualifying == rate.Points ? linePoints : Rounding.ToPoints(paid * rate.Qualifying, rounding);
            scores[i] = new LineScore(linePoints, lineQualifying, paid);
            // Checked: program and receipt bounds keep this far from overflow, and a case they miss must fail, not wrap.
            points = checked(points + linePoints);
            qualifying = checked(qualifying + lineQualifying);
        }
        return new ReceiptScore(points, qualifying);
    }
}
