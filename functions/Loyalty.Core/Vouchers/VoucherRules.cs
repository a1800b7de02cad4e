using Loyalty.Core.Receipts;

namespace Loyalty.Core.Vouchers;

/// <summary>
/// How points become vouchers: either <see cref="Automatic"/> (points convert as soon as a threshold is reached)
/// or <see cref="Denominations"/> (the member chooses at the till). A program uses one model, so "10,000 points = ?" has one answer.
/// </summary>
public sealed record VoucherRules
{
    public AutomaticVoucherRule? Automatic { get; init; }
    public IReadOnlyList<VoucherDenomination> Denominations { get; init; } = [];

    /// <summary>Days a points voucher stays valid, counted from its issue date.</summary>
    public int ValidDays { get; init; } = 90;

    /// <summary>Bounds the member state (one table entity): automatic conversion waits and till choices are refused while this many vouchers are
    /// open.</summary>
    public int MaxOpen { get; init; } = 50;
}

/// <summary>"Every 2,000 points → a 100 kr voucher", repeating forever; the points are converted (deducted).</summary>
public sealed record AutomaticVoucherRule(long EveryPoints, decimal Value);

/// <summary>One choice at the till: <see cref="Points"/> buy a voucher worth <see cref="Value"/>.</summary>
public sealed record VoucherDenomination(long Points, decimal Value);

/// <summary>
/// A voucher handed out without spending points (welcome, birthday, completed stamp card): an amount off,
/// or with <see cref="FreeItem"/> one matching item free up to <see cref="Value"/>.
/// </summary>
public sealed record Reward
{
    public required decimal Value { get; init; }
    public LineSelector? FreeItem { get; init; }
    public int ValidDays { get; init; } = 90;
}
