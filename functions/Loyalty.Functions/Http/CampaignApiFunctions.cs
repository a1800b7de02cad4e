using Loyalty.Api.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Loyalty.Functions.Http;

/// <summary>The segment and campaign routes (scope marketing), as <see cref="ApiFunctions"/> does for the rest.</summary>
public sealed class CampaignApiFunctions
{
    [Function("CreateSegment")]
    public Task<IActionResult> CreateSegment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/segments")] HttpRequest req) =>
        HandlerResult.From(CampaignEndpoints.CreateSegment(req.HttpContext));

    [Function("ListSegments")]
    public Task<IActionResult> ListSegments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/segments")] HttpRequest req) =>
        HandlerResult.From(CampaignEndpoints.ListSegments(req.HttpContext));

    [Function("PreviewSegment")]
    public Task<IActionResult> PreviewSegment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/segments/preview")] HttpRequest req) =>
        HandlerResult.From(CampaignEndpoints.PreviewSegment(req.HttpContext));

    [Function("CreateCampaign")]
    public Task<IActionResult> CreateCampaign([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/campaigns")] HttpRequest req) =>
        HandlerResult.From(CampaignEndpoints.Create(req.HttpContext));

    [Function("ListCampaigns")]
    public Task<IActionResult> ListCampaigns([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/campaigns")] HttpRequest req) =>
        HandlerResult.From(CampaignEndpoints.List(req.HttpContext));

    [Function("GetCampaign")]
    public Task<IActionResult> GetCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/campaigns/{campaignId}")] HttpRequest req, string campaignId) =>
        HandlerResult.From(CampaignEndpoints.Get(req.HttpContext, campaignId));

    [Function("ScheduleCampaign")]
    public Task<IActionResult> ScheduleCampaign([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "v1/campaigns/{campaignId}/schedule")] HttpRequest req, string campaignId) =>
        HandlerResult.From(CampaignEndpoints.Schedule(req.HttpContext, campaignId));

    [Function("CancelCampaign")]
    public Task<IActionResult> CancelCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/campaigns/{campaignId}/cancel")] HttpRequest req, string campaignId) =>
        HandlerResult.From(CampaignEndpoints.Cancel(req.HttpContext, campaignId));

    [Function("GetCampaignStatistics")]
    public Task<IActionResult> GetCampaignStatistics([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "v1/campaigns/{campaignId}/statistics")] HttpRequest req, string campaignId) =>
        HandlerResult.From(CampaignEndpoints.Statistics(req.HttpContext, campaignId));
}
