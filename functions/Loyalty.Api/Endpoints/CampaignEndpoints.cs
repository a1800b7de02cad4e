using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Campaigns;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>Segments and campaigns of the calling key's program (scope marketing).</summary>
public static class CampaignEndpoints
{
    public static Task<IResult> CreateSegment(HttpContext context) =>
        Handler.Authorized<CreateSegment>(context, Scope.Marketing, async (caller, request, ct) =>
            Outcomes.Created(await Campaigns(context).CreateSegmentAsync(caller.ProgramId, request, ct),
                segment => Outcomes.Location("segments", segment.SegmentId)));

    public static Task<IResult> ListSegments(HttpContext context) =>
        Handler.Authorized(context, Scope.Marketing, async (caller, ct) =>
            Outcomes.Ok(await Campaigns(context).ListSegmentsAsync(caller.ProgramId, ct)));

    /// <summary>A POST because the segment to try travels in the body; it changes nothing.</summary>
    public static Task<IResult> PreviewSegment(HttpContext context) =>
        Handler.Authorized<SegmentPreview>(context, Scope.Marketing, async (caller, request, ct) =>
            Outcomes.Ok(await Campaigns(context).PreviewSegmentAsync(caller.ProgramId, request, ct)));

    public static Task<IResult> Create(HttpContext context) =>
        Handler.Authorized<CampaignDefinition>(context, Scope.Marketing, async (caller, definition, ct) =>
            Outcomes.Created(await Campaigns(context).CreateAsync(caller.ProgramId, definition, ct),
                campaign => Outcomes.Location("campaigns", campaign.Campaign.CampaignId)));

    public static Task<IResult> List(HttpContext context) =>
        Handler.Authorized(context, Scope.Marketing, async (caller, ct) =>
            Outcomes.Ok(await Campaigns(context).ListAsync(caller.ProgramId, ct)));

    public static Task<IResult> Get(HttpContext context, string campaignId) =>
        Handler.Authorized(context, Scope.Marketing, async (caller, ct) =>
            Outcomes.Ok(await Campaigns(context).GetAsync(caller.ProgramId, campaignId, ct)));

    public static Task<IResult> Schedule(HttpContext context, string campaignId) =>
        Handler.Authorized(context, Scope.Marketing, async (caller, ct) =>
            Outcomes.Ok(await Campaigns(context).ScheduleAsync(caller.ProgramId, campaignId, ct)));

    public static Task<IResult> Cancel(HttpContext context, string campaignId) =>
        Handler.Authorized(context, Scope.Marketing, async (caller, ct) =>
            Outcomes.Ok(await Campaigns(context).CancelAsync(caller.ProgramId, campaignId, ct)));

    public static Task<IResult> Statistics(HttpContext context, string campaignId) =>
        Handler.Authorized(context, Scope.Marketing, async (caller, ct) =>
            Outcomes.Ok(await Campaigns(context).GetStatisticsAsync(caller.ProgramId, campaignId, ct)));

    private static ICampaignService Campaigns(HttpContext context) => context.Service<ICampaignService>();
}
