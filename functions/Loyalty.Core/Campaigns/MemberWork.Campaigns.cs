using Loyalty.Core.Campaigns;
using Loyalty.Core.Events;

namespace Loyalty.Core.Members;

/// <summary>Campaigns: the message of a campaign run reaching the member.</summary>
internal sealed partial class MemberWork
{
    /// <summary>Tells the outbox to send a campaign's message; the offer itself went through the methods above.</summary>
    public void DeliverCampaign(CampaignDispatch dispatch, string? voucherId, long bonusPoints) =>
        events.Add(new CampaignDelivered(EventId(dispatch.OperationId, "campaign.delivered"), Program.ProgramId, MemberId, dispatch.On,
            dispatch.CampaignId, dispatch.RunId, dispatch.Channel, dispatch.Message, dispatch.Offer.Code, voucherId, bonusPoints));
}
