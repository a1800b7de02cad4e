using System.Collections.Frozen;

namespace Loyalty.Core.Receipts;

/// <summary>Picks receipt lines by SKU or category (a line matches if either list names it). Both lists empty means every line.</summary>
public sealed record LineSelector
{
    public IReadOnlyList<string> Skus { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];

    internal CompiledSelector Compile() => new(Skus.ToFrozenSet(StringComparer.Ordinal), Categories.ToFrozenSet(StringComparer.Ordinal));
}

internal sealed class CompiledSelector(FrozenSet<string> skus, FrozenSet<string> categories)
{
    private readonly bool all = skus.Count == 0 && categories.Count == 0;

    public bool Matches(ReceiptLine line) => all || skus.Contains(line.Sku) || categories.Contains(line.Category);
}
