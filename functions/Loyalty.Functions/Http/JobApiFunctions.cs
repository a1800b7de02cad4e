using Loyalty.Api.Endpoints;
using Loyalty.Core.Application.Jobs;
using Loyalty.Functions.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Http;

/// <summary>Operators acting on jobs, as <see cref="ApiFunctions"/> does for the rest; a run starts as its Durable orchestration.</summary>
public sealed class JobApiFunctions(JobRestarts restarts, ILogger<JobApiFunctions> logger)
{
    [Function("RunCampaignNow")]
    public Task<IActionResult> RunCampaignNow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/campaigns/{campaignId}/run")] HttpRequest req, string campaignId,
            [DurableClient] DurableTaskClient client) =>
        HandlerResult.From(JobEndpoints.RunCampaign(req.HttpContext, campaignId, new DurableJobStarter(client, restarts, logger)));

    [Function("GetCampaignRun")]
    public Task<IActionResult> GetCampaignRun([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "v1/campaigns/{campaignId}/runs/{runId}")] HttpRequest req, string campaignId, string runId) =>
        HandlerResult.From(JobEndpoints.GetCampaignRun(req.HttpContext, campaignId, runId));

    [Function("RunNightlyReview")]
    public Task<IActionResult> RunNightlyReview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/nightly-reviews/{date}/run")] HttpRequest req, string date,
            [DurableClient] DurableTaskClient client) =>
        HandlerResult.From(JobEndpoints.RunNightly(req.HttpContext, date, new DurableJobStarter(client, restarts, logger)));

    [Function("GetNightlyReview")]
    public Task<IActionResult> GetNightlyReview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/nightly-reviews/{date}")] HttpRequest req, string date) =>
        HandlerResult.From(JobEndpoints.GetNightly(req.HttpContext, date));
}
