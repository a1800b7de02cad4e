using System.Text.Json.Serialization;
using Loyalty.Core.Application;
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
[JsonDerivedType(typeof(MemberCodeIssued), "member.code")]
[JsonDerivedType(typeof(CampaignDelivered), "campaign.delivered")]
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

public sealed record VoucherIssued(
    string Id, string ProgramId, string MemberId, DateOnly On, string VoucherId, VoucherSource Source, decimal Value, string Currency, DateOnly ExpiresOn)
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

/// <summary>
/// A campaign run reached the member: send <see cref="Message"/> (already personalised) on <see cref="Channel"/>.
/// The offer it carries is one of <see cref="Coupon"/>, <see cref="VoucherId"/> (also told by a <see cref="VoucherIssued"/>
/// with source campaign) or <see cref="BonusPoints"/>, or none for a message only.
/// </summary>
public sealed record CampaignDelivered(
    string Id,
    string ProgramId,
    string MemberId,
    DateOnly On,
    string CampaignId,
    string RunId,
    ConsentChannel Channel,
    string Message,
    string? Coupon,
    string? VoucherId,
    long BonusPoints)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "campaign.delivered";
}

/// <summary>
/// A one-time code for the member to verify themselves, for the sender to deliver to <see cref="Destination"/> over
/// <see cref="Channel"/> ("sms" or "email"; an e-mail may carry a magic <see cref="Link"/> as well). It is sent straight to
/// the queue (never kept in an outbox) and expires from the queue with the code, so the code does not linger in clear.
/// </summary>
public sealed record MemberCodeIssued(
    string Id, string ProgramId, string MemberId, DateOnly On, string Channel, string Destination, string Code, string? Link, DateTimeOffset ExpiresAt)
    : DomainEvent(Id, ProgramId, MemberId, On)
{
    [JsonIgnore]
    public override string Kind => "member.code";

    /// <summary>Records print every property; this one must not, lest a log line carry a working code.</summary>
    public override string ToString() => $"{Kind} by {Channel} to {Mask(Destination)}, code ******";

    /// <summary>A phone number or e-mail address for logs: its first three and last two characters.</summary>
    public static string Mask(string destination) => destination.Length <= 6 ? "******" : $"{destination[..3]}…{destination[^2..]}";
}
