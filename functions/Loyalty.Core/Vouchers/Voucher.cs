using Loyalty.Core.Receipts;

namespace Loyalty.Core.Vouchers;

/// <summary>
/// An open voucher in the member state. It leaves the state when redeemed, expired or cancelled by a return
/// (the ledger and events keep the history), so "redeem an id that is not open" is exactly the double-redemption
/// check. Ids derive from their cause (receipt id, till request id, …) and are never reused.
/// </summary>
public sealed record Voucher
{
    public required string Id { get; init; }
    public required VoucherSource Source { get; init; }

    /// <summary>Amount off; for a free-item voucher, the most the item may be worth.</summary>
    public required decimal Value { get; init; }

    public required string Currency { get; init; }
    public required DateOnly IssuedOn { get; init; }

    /// <summary>The last day it can be redeemed.</summary>
    public required DateOnly ExpiresOn { get; init; }

    /// <summary>Points converted into it; given back if a return cancels it.</summary>
    public long PointsCost { get; init; }

    /// <summary>The operation that issued it (a receipt id for automatic and stamp-card vouchers).</summary>
    public required string Cause { get; init; }

    public string? StampCardId { get; init; }
    public LineSelector? FreeItem { get; init; }
}

public enum VoucherSource
{
    Automatic = 0,
    Chosen = 1,
    StampCard = 2,
    Welcome = 3,
    Birthday = 4,
    Campaign = 5,
}
