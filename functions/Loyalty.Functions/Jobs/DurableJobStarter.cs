using Loyalty.Api.Endpoints;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Jobs;

/// <summary>
/// An operator's "run now" in Azure: the same orchestration the timer starts, under the same instance id
/// (<see cref="ShardWaves.StartOnceAsync"/>), so a run already going is not started twice, and a failed one resumes at
/// once, even one the timers gave up on, with its attempts counted from one again.
/// </summary>
public sealed class DurableJobStarter(DurableTaskClient client, JobRestarts restarts, ILogger logger) : IJobStarter
{
    public Task StartNightlyAsync(NightlyRun run, CancellationToken cancellationToken) =>
        ShardWaves.StartOnceAsync(client, NightlyReview.Key(run.ProgramId, run.Date), restarts, byOperator: true, logger, cancellationToken);

    public Task StartCampaignAsync(CampaignRun run, CancellationToken cancellationToken) =>
        ShardWaves.StartOnceAsync(client, CampaignFanOut.Key(run), restarts, byOperator: true, logger, cancellationToken);
}
