using System.Text.Json.Serialization;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Events;

/// <summary>
/// Something a member should hear about. <see cref="Id"/> is derived from the cause ("{memberId}/{cause}/{kind}…"),
/// so a redelivered receipt or a rerun review produces the same id and the outbox can drop duplicates.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TierUpgraded), "tier.upgraded")]
[JsonDerivedType(typeof(TierDowngraded), "tier.downgraded")]
[JsonDerivedType(typeof(NearNextTier), "tier.near_next")]
[JsonDerivedType(typeof(VoucherIssued), "voucher.issued")]
[JsonDerivedType(typeof(VoucherRedeemed), "voucher.redeemed")]
[JsonDerivedType(typeof(VoucherExpired), "voucher.expired")]
[JsonDerivedType(typeof(VoucherCancelled), "voucher.cancelled")]
[JsonDerivedType(typeof(StampCardCompleted), "stamp_card.completed")]
public abstract record DomainEvent(string Id, string ProgramId, string MemberId, DateOnly On)
{
    /// <summary>The stable kind string, the same as the JSON discriminator.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }
}

public sealed record TierUpgraded(string Id, string ProgramId, string MemberId, DateOnly On, string From, string To, DateOnly? HoldsUntil)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "tier.upgraded";
}

public sealed record TierDowngraded(string Id, string ProgramId, string MemberId, DateOnly On, string From, string To)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "tier.downgraded";
}

/// <summary>The member came within the program's margin of the next tier (null <see cref="By"/>: rolling window, no deadline).</summary>
public sealed record NearNextTier(string Id, string ProgramId, string MemberId, DateOnly On, string NextTier, long PointsLeft, DateOnly? By)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "tier.near_next";
}

public sealed record VoucherIssued(string Id, string ProgramId, string MemberId, DateOnly On, string VoucherId, VoucherSource Source, decimal Value, string Currency, DateOnly ExpiresOn)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "voucher.issued";
}

public sealed record VoucherRedeemed(string Id, string ProgramId, string MemberId, DateOnly On, string VoucherId, decimal Amount, string ReceiptId)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "voucher.redeemed";
}

public sealed record VoucherExpired(string Id, string ProgramId, string MemberId, DateOnly On, string VoucherId, decimal Value)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "voucher.expired";
}

/// <summary>A return took back the purchase that earned this voucher while it was still open.</summary>
public sealed record VoucherCancelled(string Id, string ProgramId, string MemberId, DateOnly On, string VoucherId, decimal Value, string ReturnId)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "voucher.cancelled";
}

public sealed record StampCardCompleted(string Id, string ProgramId, string MemberId, DateOnly On, string CardId, string RewardVoucherId, int Completed)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "stamp_card.completed";
}
