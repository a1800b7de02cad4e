using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Members;

namespace Loyalty.Core.Application.Campaigns;

/// <summary>
/// What a receipt tells a campaign: a coupon code it carries, or a campaign voucher it redeems (its id is the delivery's
/// operation id), is a redemption; a purchase by a member within a delivery's attribution window is attributed revenue. Recorded every time the receipt is
/// applied, a replay included
/// (a redelivered message after a crash between applying and recording), and keyed by receipt, so each counts once.
/// </summary>
public sealed class CampaignResponses(ICampaignStore campaigns, ICampaignDeliveries deliveries)
{
    /// <param name="contacts">The campaign runs that reached the buyer and whose window the purchase falls in (none for anonymous receipts).</param>
    public async Task RecordAsync(
        string programId, string receiptId, decimal total, DateTimeOffset purchasedAt, string? memberId,
        IReadOnlyList<string> coupons, IReadOnlyList<string> vouchersRedeemed, IEnumerable<CampaignContact> contacts, CancellationToken cancellationToken)
    {
        if (total <= 0) return;
        var redeemed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in coupons.Distinct(StringComparer.OrdinalIgnoreCase))
            if (await campaigns.FindByCouponAsync(programId, code, cancellationToken) is { } campaignId)
                redeemed.Add(campaignId);
        foreach (var voucherId in vouchersRedeemed)
            if (CampaignDispatch.TryParseOperation(voucherId, out var campaignId, out _))
                redeemed.Add(campaignId);
        foreach (var campaignId in redeemed)
            await deliveries.RecordResponseAsync(
                programId, new CampaignResponse(campaignId, ResponseKind.Redemption, receiptId, memberId, total, purchasedAt), cancellationToken);
        foreach (var campaignId in contacts.Select(c => c.CampaignId).Distinct(StringComparer.Ordinal))
            await deliveries.RecordResponseAsync(
                programId, new CampaignResponse(campaignId, ResponseKind.Attributed, receiptId, memberId, total, purchasedAt), cancellationToken);
    }
}
