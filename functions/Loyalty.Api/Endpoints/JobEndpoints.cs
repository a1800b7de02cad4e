using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>
/// How a host starts a sharded job in the background: the local host in its own process, the Functions app as the
/// Durable orchestration its timer would start, under the same instance id. Starting a run that is already going does
/// nothing, so a repeated request never runs it twice.
/// </summary>
public interface IJobStarter
{
    Task StartNightlyAsync(NightlyRun run, CancellationToken cancellationToken);

    Task StartCampaignAsync(CampaignRun run, CancellationToken cancellationToken);
}

/// <summary>Operators acting on jobs: run a night or a campaign's next occurrence now, and read a run's progress per shard.</summary>
public static class JobEndpoints
{
    public static Task<IResult> RunNightly(HttpContext context, string date, IJobStarter starter) =>
        Handler.InProgram(context, Scope.Admin, async (_, program, ct) =>
        {
            var request = await context.Service<NightlyReview>().RequestAsync(program, date, ahead: false, ct);
            if (!request.IsValid) return Outcomes.Problem(request.Errors);
            var (run, progress) = request.Value;
            if (progress.Complete)
                return Outcomes.Ok<JobStart>(new JobStart(true, $"The review of {date} is complete; nothing was changed.", progress));
            await starter.StartNightlyAsync(run, ct);
            return Accepted(new JobStart(false, $"The review of {date} is running.", progress), Outcomes.Location("nightly-reviews", date));
        });

    public static Task<IResult> GetNightly(HttpContext context, string date) =>
        Handler.InProgram(context, Scope.Admin, async (_, program, ct) =>
            Outcomes.Ok(await context.Service<NightlyReview>().ProgressAsync(program, date, ct)));

    public static Task<IResult> RunCampaign(HttpContext context, string campaignId, IJobStarter starter) =>
        Handler.InProgram(context, Scope.Marketing, async (_, program, ct) =>
        {
            var started = await context.Service<CampaignScheduler>().StartNowAsync(program, campaignId, ct);
            if (!started.IsValid) return Outcomes.Problem(started.Errors);
            var run = started.Value;
            await starter.StartCampaignAsync(run, ct);
            var progress = await context.Service<CampaignFanOut>().ProgressAsync(program, run.CampaignId, run.RunId, ct);
            return Outcomes.From(progress, view => Accepted(
                new JobStart(false, $"Run '{run.RunId}' of campaign '{run.CampaignId}' is running.", view),
                    Outcomes.Location("campaigns", run.CampaignId, "runs", run.RunId)));
        });

    public static Task<IResult> GetCampaignRun(HttpContext context, string campaignId, string runId) =>
        Handler.InProgram(context, Scope.Marketing, async (_, program, ct) =>
            Outcomes.Ok(await context.Service<CampaignFanOut>().ProgressAsync(program, campaignId, runId, ct)));

    private static IResult Accepted(JobStart start, string location) =>
        Results.Json(start, JsonBody.Options, statusCode: StatusCodes.Status202Accepted, contentType: null).WithHeader("Location", location);
}
