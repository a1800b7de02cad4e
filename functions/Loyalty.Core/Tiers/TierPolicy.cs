namespace Loyalty.Core.Tiers;

/// <summary>What happens to a member's tier when a qualification window ends. Upgrades are always immediate.</summary>
public enum TierPolicy
{
    /// <summary>Default: a tier reached in a window holds for the rest of it and the whole next one.</summary>
    HoldThroughNextPeriod = 0,

    /// <summary>The classic ladder: at window end everybody drops to the base tier and zero qualifying points.</summary>
    ResetToBase = 1,

    /// <summary>At window end a member who did not requalify drops one tier (never below what the window's points earned).</summary>
    DropOneTier = 2,

    /// <summary>The tier is whatever the points of the rolling window earn, re-evaluated daily (points leave at month ends).</summary>
    RollingWindow = 3,
}
