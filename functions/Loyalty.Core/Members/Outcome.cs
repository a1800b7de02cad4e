using Loyalty.Core.StampCards;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Members;

/// <summary>
/// What an operation did, as the HTTP API returns it. Stored with the operation's record, so a resent receipt
/// gets exactly the same outcome back.
/// </summary>
public sealed record Outcome
{
    public required string OperationId { get; init; }
    public required string MemberId { get; init; }

    /// <summary>Points added by this operation (negative for a return).</summary>
    public long PointsEarned { get; init; }

    /// <summary>Qualifying points added to the current window (negative for a return).</summary>
    public long QualifyingPointsEarned { get; init; }

    public long Balance { get; init; }
    public long Debt { get; init; }
    public long QualifyingPoints { get; init; }
    public required string TierBefore { get; init; }
    public required string TierAfter { get; init; }

    /// <summary>Money taken off the receipt by redeemed vouchers.</summary>
    public decimal Discount { get; init; }

    public IReadOnlyList<Voucher> VouchersIssued { get; init; } = [];
    public IReadOnlyList<string> VouchersRedeemed { get; init; } = [];
    public IReadOnlyList<string> VouchersCancelled { get; init; } = [];
    public IReadOnlyList<StampChange> Stamps { get; init; } = [];

    /// <summary>Stamps for a household member's card; the caller applies each to that member's book.</summary>
    public IReadOnlyList<StampTransfer> StampTransfers { get; init; } = [];

    /// <summary>The coupon code a campaign gave the member.</summary>
    public string? Coupon { get; init; }
}
