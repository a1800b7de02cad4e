using Loyalty.Core.Application;
using Loyalty.Core.Segments;

namespace Loyalty.Core.Campaigns;

/// <summary>
/// A campaign as a marketer writes it: who (a segment, inline or by id), what (an offer), the message and when.
/// Check it with <see cref="CampaignValidator"/>; <see cref="Campaign"/> tracks its lifecycle and
/// <see cref="CompiledCampaign"/> applies it to members.
/// </summary>
public sealed record CampaignDefinition
{
    public required string CampaignId { get; init; }
    public required string Name { get; init; }

    /// <summary>A stored segment's id; exactly one of this and <see cref="Segment"/> is set.</summary>
    public string? SegmentId { get; init; }

    /// <summary>A segment written into the campaign; exactly one of this and <see cref="SegmentId"/> is set.</summary>
    public SegmentDefinition? Segment { get; init; }

    public Offer Offer { get; init; } = new();
    public required CampaignMessage Message { get; init; }
    public required CampaignSchedule Schedule { get; init; }

    /// <summary>A purchase within this many days from a delivery (the delivery day is day 1) counts toward the campaign's revenue.</summary>
    public int AttributionDays { get; init; } = 14;

    /// <summary>
    /// An occurrence missed (the scheduler was down) starts late if it is younger than this; older ones are skipped,
    /// because "Friday pizza" on Saturday afternoon does more harm than good.
    /// </summary>
    public int GraceHours { get; init; } = 24;
}

/// <summary>
/// What a member gets: nothing but the message, a coupon code (for the till or web shop; redemptions are recorded
/// from receipts), a voucher in the member's state, or bonus points. Only the fields of <see cref="Kind"/> are set.
/// </summary>
public sealed record Offer
{
    public OfferKind Kind { get; init; }

    /// <summary>Coupon: the code, e.g. "PIZZA15".</summary>
    public string? Code { get; init; }

    /// <summary>Coupon: what it gives, in words, e.g. "15 % off pizza".</summary>
    public string? Description { get; init; }

    /// <summary>Voucher: its value in the program's currency.</summary>
    public decimal? Value { get; init; }

    /// <summary>Voucher: days it stays valid, counted from the delivery date.</summary>
    public int? ValidDays { get; init; }

    /// <summary>Bonus points: how many.</summary>
    public long? Points { get; init; }
}

public enum OfferKind
{
    None,
    Coupon,
    Voucher,
    BonusPoints,
}

/// <summary>
/// The channel to send on and the text, with personalisation fields in braces (see <see cref="MessageTemplate"/>).
/// A member is only sent a campaign on a channel they have granted consent on.
/// </summary>
public sealed record CampaignMessage
{
    public required ConsentChannel Channel { get; init; }
    public required string Text { get; init; }
}
