namespace Loyalty.Core.Segments;

/// <summary>Recency, frequency and monetary scores of one member, each 1 (worst) to 5 (best).</summary>
public readonly record struct RfmScores(int Recency, int Frequency, int Monetary)
{
    /// <summary>
    /// Scores against absolute thresholds. Textbook RFM uses population quintiles, but the campaign job matches
    /// members shard by shard in parallel and cannot know the population's distribution without a second full pass;
    /// absolute thresholds also keep a member's score stable when other members change.
    /// </summary>
    public static RfmScores Of(MemberFacts member, DateOnly today, RfmThresholds thresholds)
    {
        var recency = 1;
        if (member.LastPurchaseOn is { } last)
        {
            var days = Math.Max(0, today.DayNumber - last.DayNumber);
            var limits = thresholds.RecencyDays;
            for (var i = 0; i < limits.Count; i++)
            {
                if (days > limits[i]) continue;
                recency = 5 - i;
                break;
            }
        }
        return new RfmScores(recency, Rising(thresholds.Purchases, member.PurchaseCount), Rising(thresholds.Spend, member.Spend));
    }

    private static int Rising<T>(IReadOnlyList<T> minimums, T value) where T : IComparable<T>
    {
        var score = 1;
        for (var i = 0; i < minimums.Count && value.CompareTo(minimums[i]) >= 0; i++) score++;
        return score;
    }
}

/// <summary>
/// Where the RFM scores change, as four ascending values per measure. The defaults suit a Nordic retailer in
/// SEK or NOK; a segment may carry its own (another currency, a grocer's weekly rhythm).
/// </summary>
public sealed record RfmThresholds
{
    public static RfmThresholds Default { get; } = new();

    /// <summary>Most days since the last purchase for recency 5, 4, 3 and 2; longer ago, or never, is 1.</summary>
    public IReadOnlyList<int> RecencyDays { get; init; } = [30, 90, 180, 365];

    /// <summary>Fewest purchases for frequency 2, 3, 4 and 5.</summary>
    public IReadOnlyList<int> Purchases { get; init; } = [2, 4, 8, 16];

    /// <summary>Least net spend for monetary 2, 3, 4 and 5.</summary>
    public IReadOnlyList<decimal> Spend { get; init; } = [1_000m, 5_000m, 15_000m, 40_000m];
}
