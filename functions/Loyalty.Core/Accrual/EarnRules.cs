namespace Loyalty.Core.Accrual;

/// <summary>How a receipt line earns points: amount × points per unit × category multiplier, rounded per line.</summary>
public sealed record EarnRules
{
    public decimal PointsPerCurrencyUnit { get; init; } = 1m;

    /// <summary>Category → multiplier (2 = double points). Categories not listed earn × 1.</summary>
    public IReadOnlyDictionary<string, decimal> CategoryMultipliers { get; init; } = new Dictionary<string, decimal>();

    public IReadOnlyList<string> ExcludedCategories { get; init; } = [];
    public IReadOnlyList<string> ExcludedSkus { get; init; } = [];

    /// <summary>A receipt paying less than this earns no points (stamps are still given).</summary>
    public decimal MinimumSpend { get; init; }

    /// <summary>When false, multiplier bonus points are spendable but do not count toward tiers.</summary>
    public bool MultipliersQualify { get; init; } = true;
}

/// <summary>What happens when a return takes back points that are already spent.</summary>
public enum DebtPolicy
{
    /// <summary>Default: the balance stops at zero and the shortfall is recorded as debt, repaid from the next points earned.</summary>
    FloorAtZero = 0,

    /// <summary>The balance goes negative; later points fill it up first.</summary>
    AllowNegative = 1,
}
