using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Jobs;

/// <summary>
/// Campaign activation and fan-out as Durable orchestrations, over the same <see cref="CampaignScheduler"/> and
/// <see cref="CampaignFanOut"/> steps the local host's CampaignWorker runs: a timer every minute marks each due run
/// started on its campaign and starts one orchestration per run (instance id <c>campaign-{program}-{campaign}-{run}</c>,
/// so a second tick finds it); the orchestration plans, fans the shards out in waves (<see cref="ShardWaves"/>) and
/// records the totals, which finishes the run on the campaign. A run left running by a failed instance is offered
/// again by the scheduler and restarted under the same id (after a growing delay, <see cref="JobRestarts"/>), resuming
/// after the members it had reached.
/// </summary>
public sealed class CampaignFunctions(CampaignScheduler scheduler, CampaignFanOut fanOut, JobRestarts restarts, TimeProvider time, ILogger<CampaignFunctions> logger)
{
    [Function("CampaignTimer")]
    public async Task Start([TimerTrigger("0 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        foreach (var run in await scheduler.DueAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            if (await scheduler.StartAsync(run, cancellationToken).ConfigureAwait(false))
                await ShardWaves.StartOnceAsync(
                    client, nameof(CampaignRunOrchestration), CampaignFanOut.Key(run), run, restarts, byOperator: false, logger, cancellationToken).ConfigureAwait(false);
    }

    [Function(nameof(CampaignRunOrchestration))]
    public static Task<JobTotals> CampaignRunOrchestration([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunCampaignAsync(context, JobOrchestrationPolicy.Default);

    /// <summary>The run's orchestration under <paramref name="policy"/>.</summary>
    public static async Task<JobTotals> RunCampaignAsync(TaskOrchestrationContext context, JobOrchestrationPolicy policy)
    {
        var run = context.GetInput<CampaignRun>() ?? throw new InvalidOperationException("A campaign run orchestration needs its run.");
        var plan = await context.CallActivityAsync<JobPlan>(nameof(CampaignPlan), run, policy.Retry);
        var results = await ShardWaves.RunAsync(context, nameof(CampaignShard), plan, policy);
        return await context.CallActivityAsync<JobTotals>(nameof(CampaignComplete), new CampaignResults(run, results), policy.Retry);
    }

    [Function(nameof(CampaignPlan))]
    public Task<JobPlan> CampaignPlan([ActivityTrigger] CampaignRun run, CancellationToken cancellationToken) =>
        fanOut.PlanAsync(run, cancellationToken);

    [Function(nameof(CampaignShard))]
    public Task<ShardResult> CampaignShard([ActivityTrigger] ShardTask task, CancellationToken cancellationToken) =>
        fanOut.RunShardAsync(CampaignFanOut.RunOf(task.Key), task.Shard, task.Slice, cancellationToken);

    [Function(nameof(CampaignComplete))]
    public Task<JobTotals> CampaignComplete([ActivityTrigger] CampaignResults done, CancellationToken cancellationToken) =>
        fanOut.CompleteAsync(done.Run, done.Results, cancellationToken);
}

public sealed record CampaignResults(CampaignRun Run, IReadOnlyList<ShardResult> Results);
