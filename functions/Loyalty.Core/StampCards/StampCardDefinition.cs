using Loyalty.Core.Receipts;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.StampCards;

/// <summary>"Every 10th bag free", "one stamp per 250 kr, 10 stamps give 150 kr off". The card restarts after each reward.</summary>
public sealed record StampCardDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public StampRule Rule { get; init; } = StampRule.PerItem;

    /// <summary>Which lines count; empty means all lines.</summary>
    public LineSelector Qualifying { get; init; } = new();

    /// <summary>For <see cref="StampRule.PerAmount"/>: one stamp per this much paid on qualifying lines of one receipt.</summary>
    public decimal AmountPerStamp { get; init; }

    public required int StampsForReward { get; init; }
    public required Reward Reward { get; init; }
}

public enum StampRule
{
    /// <summary>One stamp per whole unit on a qualifying line (two bags, two stamps).</summary>
    PerItem = 0,

    /// <summary>One stamp per <see cref="StampCardDefinition.AmountPerStamp"/> paid on qualifying lines, per receipt, rounded down.</summary>
    PerAmount = 1,
}
