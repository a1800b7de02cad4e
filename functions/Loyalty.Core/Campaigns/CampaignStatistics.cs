using Loyalty.Core.Application;

namespace Loyalty.Core.Campaigns;

/// <summary>
/// How a campaign did, from counts the fan-out and the receipts record. Counts add up (<see cref="Combine"/>), so
/// shards, runs and days can be summed in any order; the rates are derived, never summed.
/// </summary>
/// <remarks>
/// A contact is one delivery: a recurring campaign contacts a member once per run. <see cref="Reach"/> counts
/// members, so it adds up across shards (each member lives in one) but not across runs; whoever counts it over
/// several runs counts distinct members.
/// </remarks>
public sealed record CampaignStatistics
{
    public static CampaignStatistics Zero { get; } = new();

    /// <summary>Distinct members reached.</summary>
    public long Reach { get; init; }

    public long Email { get; init; }
    public long Sms { get; init; }
    public long Push { get; init; }

    /// <summary>Receipts that carried the campaign's coupon or one of its vouchers.</summary>
    public long Redemptions { get; init; }

    /// <summary>Purchases by contacted members within the attribution window, and what they paid.</summary>
    public long AttributedPurchases { get; init; }

    public decimal AttributedRevenue { get; init; }

    public long Contacts => Email + Sms + Push;

    /// <summary>Redemptions per contact, 0 to 1 (4 decimals): "more than half of all offers are never used" is measured here.</summary>
    public decimal RedemptionRate => Contacts == 0 ? 0m : Math.Round((decimal)Redemptions / Contacts, 4);

    /// <summary>Attributed revenue per contact (2 decimals): the product's "0.2 kr for a standard send, 3 kr personalised".</summary>
    public decimal RevenuePerContact => Contacts == 0 ? 0m : Math.Round(AttributedRevenue / Contacts, 2);

    /// <summary>One delivery on <paramref name="channel"/>; <paramref name="newMember"/> when it is the member's first of this campaign.</summary>
    public static CampaignStatistics Delivered(ConsentChannel channel, bool newMember) => new()
    {
        Reach = newMember ? 1 : 0,
        Email = channel == ConsentChannel.Email ? 1 : 0,
        Sms = channel == ConsentChannel.Sms ? 1 : 0,
        Push = channel == ConsentChannel.Push ? 1 : 0,
    };

    public static CampaignStatistics Redeemed() => new() { Redemptions = 1 };

    public static CampaignStatistics Purchase(decimal amount) => new() { AttributedPurchases = 1, AttributedRevenue = amount };

    public static CampaignStatistics Combine(CampaignStatistics a, CampaignStatistics b) => new()
    {
        Reach = a.Reach + b.Reach,
        Email = a.Email + b.Email,
        Sms = a.Sms + b.Sms,
        Push = a.Push + b.Push,
        Redemptions = a.Redemptions + b.Redemptions,
        AttributedPurchases = a.AttributedPurchases + b.AttributedPurchases,
        AttributedRevenue = a.AttributedRevenue + b.AttributedRevenue,
    };

    public static CampaignStatistics operator +(CampaignStatistics a, CampaignStatistics b) => Combine(a, b);

    /// <summary>
    /// Whether a purchase on <paramref name="purchasedOn"/> counts toward a delivery on <paramref name="deliveredOn"/>:
    /// within <paramref name="attributionDays"/> days counting the delivery day as day 1 (14 days from Friday 5 March
    /// run to Thursday 18 March). A purchase before the delivery never counts.
    /// </summary>
    public static bool Attributes(DateOnly deliveredOn, int attributionDays, DateOnly purchasedOn) =>
        purchasedOn >= deliveredOn && purchasedOn.DayNumber - deliveredOn.DayNumber < attributionDays;
}
