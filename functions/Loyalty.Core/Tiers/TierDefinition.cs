namespace Loyalty.Core.Tiers;

/// <summary>One rung of the ladder: reached when the qualifying points in the window reach <see cref="Threshold"/>. The first rung is the base tier (threshold
/// 0).</summary>
public sealed record TierDefinition
{
    public required string Name { get; init; }
    public required long Threshold { get; init; }
    public IReadOnlyList<Benefit> Benefits { get; init; } = [];
}

/// <summary>
/// A tier benefit as data, so retailers add benefits without code: e.g. <c>("discount-percent", 10)</c>,
/// <c>("free-shipping")</c>, <c>("free-repairs")</c>, <c>("birthday-gift")</c>. The till and the app interpret <see cref="Kind"/>.
/// </summary>
public sealed record Benefit(string Kind, decimal? Value = null);
