using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Jobs;

/// <summary>
/// Every <see cref="ShardedJob"/> as one Durable orchestration per run, over the same steps the local host's JobWorker
/// runs through <see cref="JobRunner"/>. The run's <see cref="JobKey"/> is the orchestration's input and names the job
/// each activity hands the run to, so a new job needs its timer here and nothing else. A timer starts a run under an
/// instance id derived from the key, so a second tick finds the first. Waves, restarts and retries: docs/deploy.md,
/// 'Sharded jobs: nightly tier evaluation and campaign runs (Durable)'.
/// </summary>
public sealed class ShardedJobFunctions(IEnumerable<ShardedJob> jobs, JobRestarts restarts, TimeProvider time, ILogger<ShardedJobFunctions> logger)
{
    private readonly Dictionary<string, ShardedJob> byName = jobs.ToDictionary(job => job.Name, StringComparer.Ordinal);

    /// <summary>Every 15 minutes, so a night missed during an outage is caught up at the next tick.</summary>
    [Function("NightlyReviewTimer")]
    public Task NightlyReviewTimer(
        [TimerTrigger("0 */15 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        StartDueAsync(NightlyReview.JobName, client, cancellationToken);

    [Function("CampaignTimer")]
    public Task CampaignTimer([TimerTrigger("0 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        StartDueAsync(CampaignFanOut.JobName, client, cancellationToken);

    [Function(nameof(ShardedJobRun))]
    public static Task<JobTotals> ShardedJobRun([OrchestrationTrigger] TaskOrchestrationContext context) => RunAsync(context, JobOrchestrationPolicy.Default);

    /// <summary>The run's orchestration under <paramref name="policy"/>.</summary>
    public static async Task<JobTotals> RunAsync(TaskOrchestrationContext context, JobOrchestrationPolicy policy)
    {
        var key = context.GetInput<JobKey>() ?? throw new InvalidOperationException("A sharded job's orchestration needs its run's key.");
        var plan = await context.CallActivityAsync<JobPlan>(nameof(ShardedJobPlan), key, policy.Retry);
        var results = await ShardWaves.RunAsync(context, nameof(ShardedJobShard), plan, policy);
        return await context.CallActivityAsync<JobTotals>(nameof(ShardedJobComplete), new JobResults(key, results), policy.Retry);
    }

    [Function(nameof(ShardedJobPlan))]
    public Task<JobPlan> ShardedJobPlan([ActivityTrigger] JobKey key, CancellationToken cancellationToken) =>
        Job(key).PlanAsync(key, cancellationToken);

    [Function(nameof(ShardedJobShard))]
    public Task<ShardResult> ShardedJobShard([ActivityTrigger] ShardTask task, CancellationToken cancellationToken) =>
        Job(task.Key).RunShardAsync(task.Key, task.Shard, task.Slice, cancellationToken);

    [Function(nameof(ShardedJobComplete))]
    public Task<JobTotals> ShardedJobComplete([ActivityTrigger] JobResults done, CancellationToken cancellationToken) =>
        Job(done.Key).CompleteAsync(done.Key, done.Results, cancellationToken);

    private async Task StartDueAsync(string job, DurableTaskClient client, CancellationToken cancellationToken)
    {
        foreach (var key in await byName[job].StartDueAsync(time.GetUtcNow(), cancellationToken))
            await ShardWaves.StartOnceAsync(client, key, restarts, byOperator: false, logger, cancellationToken);
    }

    private ShardedJob Job(JobKey key) =>
        byName.TryGetValue(key.Job, out var job) ? job : throw new InvalidOperationException($"'{key}' is a run of no job this app runs.");
}

/// <summary>The fan-in's input: the run and its shards' results.</summary>
public sealed record JobResults(JobKey Key, IReadOnlyList<ShardResult> Results);
