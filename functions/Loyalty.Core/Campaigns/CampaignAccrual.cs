using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Campaigns;

/// <summary>Gives a member a campaign's offer and records the message for the outbox.</summary>
internal static class CampaignAccrual
{
    public static Result<Transition> Apply(MemberState state, CompiledProgram program, CampaignDispatch dispatch)
    {
        var errors = new ErrorList();
        CampaignValidator.OperationPart(dispatch.CampaignId, "campaignId", 60, errors);
        CampaignValidator.OperationPart(dispatch.RunId, "runId", 20, errors);
        CampaignValidator.ValidateOffer(dispatch.Offer, "offer", errors);
        if (errors.Any) return Result<Transition>.Fail(errors.Items);
        var id = dispatch.OperationId;
        var offer = dispatch.Offer;
        var work = new MemberWork(state, program);
        work.AdvanceTo(dispatch.On);
        string? voucherId = null;
        long points = 0;
        switch (offer.Kind)
        {
            // Like a till choice, a campaign voucher cannot wait for room: the member is skipped, nothing is recorded,
            // and a later run or a retry after a voucher is used can reach them.
            case OfferKind.Voucher when !work.HasRoom:
                return Result<Transition>.Fail(ErrorCodes.VoucherTooManyOpen, "offer",
                    $"The member already has {program.Definition.Vouchers.MaxOpen} open vouchers.");
            case OfferKind.Voucher:
                voucherId = work.IssueVoucher(id, dispatch.On, id, VoucherSource.Campaign, offer.Value!.Value, offer.ValidDays!.Value, 0).Id;
                break;
            case OfferKind.BonusPoints:
                // Spendable, not qualifying: a tier is earned by buying, not by being in a campaign.
                points = offer.Points!.Value;
                work.Earn(id, dispatch.On, points, 0);
                work.ConvertPoints(id, dispatch.On);
                break;
        }
        work.DeliverCampaign(dispatch, voucherId, points);
        var transition = work.ToTransition(id, points);
        return transition with { Outcome = transition.Outcome with { Coupon = offer.Kind == OfferKind.Coupon ? offer.Code : null } };
    }
}
