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
        Handler.InProgram<CreateSegment>(context, Scope.Marketing, async (_, program, request, ct) =>
            Outcomes.Created(await Campaigns(context).CreateSegmentAsync(program, request, ct),
                segment => Outcomes.Location("segments", segment.SegmentId)));

    public static Task<IResult> ListSegments(HttpContext context) =>
        Handler.InProgram(context, Scope.Marketing, async (_, program, ct) =>
            Outcomes.Ok(await Campaigns(context).ListSegmentsAsync(program, ct)));

    /// <summary>A POST because the segment to try travels in the body; it changes nothing.</summary>
    public static Task<IResult> PreviewSegment(HttpContext context) =>
        Handler.InProgram<SegmentPreview>(context, Scope.Marketing, async (_, program, request, ct) =>
            Outcomes.Ok(await Campaigns(context).PreviewSegmentAsync(program, request, ct)));

    public static Task<IResult> Create(HttpContext context) =>
        Handler.InProgram<CampaignDefinition>(context, Scope.Marketing, async (_, program, definition, ct) =>
            Outcomes.Created(await Campaigns(context).CreateAsync(program, definition, ct),
                campaign => Outcomes.Location("campaigns", campaign.Campaign.CampaignId)));

    public static Task<IResult> List(HttpContext context) =>
        Handler.InProgram(context, Scope.Marketing, async (_, program, ct) =>
            Outcomes.Ok(await Campaigns(context).ListAsync(program, ct)));

    public static Task<IResult> Get(HttpContext context, string campaignId) =>
        Handler.InProgram(context, Scope.Marketing, async (_, program, ct) =>
            Outcomes.Ok(await Campaigns(context).GetAsync(program, campaignId, ct)));

    public static Task<IResult> Schedule(HttpContext context, string campaignId) =>
        Handler.InProgram(context, Scope.Marketing, async (_, program, ct) =>
            Outcomes.Ok(await Campaigns(context).ScheduleAsync(program, campaignId, ct)));

    public static Task<IResult> Cancel(HttpContext context, string campaignId) =>
        Handler.InProgram(context, Scope.Marketing, async (_, program, ct) =>
            Outcomes.Ok(await Campaigns(context).CancelAsync(program, campaignId, ct)));

    public static Task<IResult> Statistics(HttpContext context, string campaignId) =>
        Handler.InProgram(context, Scope.Marketing, async (_, program, ct) =>
            Outcomes.Ok(await Campaigns(context).GetStatisticsAsync(program, campaignId, ct)));

    private static ICampaignService Campaigns(HttpContext context) => context.Service<ICampaignService>();
}
