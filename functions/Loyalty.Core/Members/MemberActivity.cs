using System.Collections.Immutable;
using Loyalty.Core.Receipts;

namespace Loyalty.Core.Members;

/// <summary>
/// Purchase counters kept beside the state for campaign segments (recency, frequency, monetary value, channels used).
/// Updated in the same transaction as the receipt that changes them, so a segment never counts a receipt twice.
/// </summary>
public sealed record MemberActivity
{
    public DateTimeOffset? LastPurchaseAt { get; init; }
    public int PurchaseCount { get; init; }

    /// <summary>Net spend: purchases minus returns.</summary>
    public decimal Spend { get; init; }

    /// <summary>Sales channels the member has bought through ("online", "store"), sorted.</summary>
    public ImmutableArray<string> Channels { get; init; } = [];

    /// <summary>The counters after <paramref name="receipt"/>: a return lowers spend but is not a visit.</summary>
    public MemberActivity After(Receipt receipt)
    {
        if (receipt.IsReturn) return this with { Spend = Spend + receipt.Total };
        var channel = receipt.Channel.ToLowerInvariant();
        return this with
        {
            LastPurchaseAt = LastPurchaseAt is { } last && last > receipt.PurchasedAt ? last : receipt.PurchasedAt,
            PurchaseCount = PurchaseCount + 1,
            Spend = Spend + receipt.Total,
            Channels = Channels.Contains(channel) ? Channels : [.. Channels.Add(channel).Order(StringComparer.Ordinal)],
        };
    }
}
