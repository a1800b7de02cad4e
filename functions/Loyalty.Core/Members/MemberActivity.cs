using System.Collections.Immutable;
using Loyalty.Core.Receipts;

namespace Loyalty.Core.Members;

/// <summary>
/// Purchase counters kept beside the state for campaign segments (recency, frequency, monetary value, channels used),
/// and the purchases returns wait for. Updated in the same transaction as the receipt that changes them, so a segment
/// never counts a receipt twice.
/// </summary>
public sealed record MemberActivity
{
    public DateTimeOffset? LastPurchaseAt { get; init; }
    public int PurchaseCount { get; init; }

    /// <summary>Net spend: purchases minus returns.</summary>
    public decimal Spend { get; init; }

    /// <summary>Sales channels the member has bought through ("online", "store"), sorted.</summary>
    public ImmutableArray<string> Channels { get; init; } = [];

    /// <summary>
    /// Campaign runs the member got recently, newest first, so a purchase can be attributed to them in the same
    /// transaction that applies it (statistics need no join of receipts with deliveries). Bounded by
    /// <see cref="MaxContacts"/> and by each contact's attribution window.
    /// </summary>
    public ImmutableArray<CampaignContact> Campaigns { get; init; } = [];

    public const int MaxContacts = 10;

    /// <summary>
    /// Ids of purchases not on the account yet that a return from the queue waits for (parked under the purchase's id),
    /// oldest first. The profile is read by every purchase and written under its ETag by every change, so a purchase learns
    /// here, from the read it makes anyway, that returns wait for it; none has to look for them in storage. Bounded by
    /// <see cref="MaxAwaitedPurchases"/>: a purchase pushed out is left to the maintenance sweep.
    /// </summary>
    public ImmutableArray<string> AwaitedPurchases { get; init; } = [];

    public const int MaxAwaitedPurchases = 16;

    /// <summary>The counters with <paramref name="purchaseId"/> awaited, the newest entry (the oldest goes when the set is full).</summary>
    public MemberActivity Awaiting(string purchaseId) => this with
    {
        AwaitedPurchases = [.. AwaitedPurchases.Remove(purchaseId, StringComparer.Ordinal).Add(purchaseId).TakeLast(MaxAwaitedPurchases)],
    };

    /// <summary>The counters once the returns waiting for <paramref name="purchaseId"/> have been handled.</summary>
    public MemberActivity NoLongerAwaiting(string purchaseId) => this with
    {
        AwaitedPurchases = AwaitedPurchases.Remove(purchaseId, StringComparer.Ordinal),
    };

    /// <summary>The counters after a campaign run reached the member; contacts whose window has closed are dropped.</summary>
    public MemberActivity Contacted(CampaignContact contact) => this with
    {
        Campaigns = [.. Campaigns.Where(c => c.CampaignId != contact.CampaignId || c.RunId != contact.RunId).Prepend(contact)
            .Where(c => c.Until >= contact.On).Take(MaxContacts)],
    };

    /// <summary>The contacts a purchase on <paramref name="on"/> counts for: each window runs from the delivery day for its days.</summary>
    public IEnumerable<CampaignContact> AttributedOn(DateOnly on) =>
        Campaigns.Where(c => Loyalty.Core.Campaigns.CampaignStatistics.Attributes(c.On, c.AttributionDays, on));

    /// <summary>The counters after <paramref name="receipt"/>: a return lowers spend but is not a visit.</summary>
    public MemberActivity After(Receipt receipt)
    {
        if (receipt.IsReturn) return this with { Spend = Spend + receipt.Total };
        var channel = receipt.Channel.ToLowerInvariant();
        return this with
        {
            LastPurchaseAt = LastPurchaseAt is { } last && last > receipt.PurchasedAt ? last : receipt.PurchasedAt,
            PurchaseCount = PurchaseCount + 1,
            Spend = Spend + receipt.Total,
            Channels = Channels.Contains(channel) ? Channels : [.. Channels.Add(channel).Order(StringComparer.Ordinal)],
        };
    }
}

/// <summary>A campaign run that reached a member on <see cref="On"/>; purchases up to <see cref="Until"/> are attributed to it.</summary>
public sealed record CampaignContact(string CampaignId, string RunId, DateOnly On, int AttributionDays)
{
    /// <summary>The last day of the attribution window (the delivery day is its first).</summary>
    public DateOnly Until => On.AddDays(AttributionDays - 1);
}
