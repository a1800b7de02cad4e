using Loyalty.Core.Application.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Jobs;

/// <summary>
/// The nightly tier evaluation as a Durable orchestration per program and night, over the same
/// <see cref="NightlyReview"/> steps the local host's NightlyWorker runs through <see cref="JobRunner"/>:
/// plan → one activity per Members shard (in waves, <see cref="ShardWaves"/>) → record the totals.
/// A timer looks every 15 minutes for runs that are due (the program's local review time has passed, totals not
/// recorded yet), so a night missed during an outage is caught up at the next tick; a failed run is started again
/// after a growing delay (<see cref="JobRestarts"/>).
/// </summary>
public sealed class NightlyReviewFunctions(NightlyReview nightly, JobRestarts restarts, TimeProvider time, ILogger<NightlyReviewFunctions> logger)
{
    [Function("NightlyReviewTimer")]
    public async Task Start([TimerTrigger("0 */15 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        foreach (var run in await nightly.DueAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            await ShardWaves.StartOnceAsync(
                client, nameof(NightlyReviewRun), NightlyReview.Key(run.ProgramId, run.Date), run, restarts, byOperator: false, logger, cancellationToken).ConfigureAwait(false);
    }

    [Function(nameof(NightlyReviewRun))]
    public static Task<JobTotals> NightlyReviewRun([OrchestrationTrigger] TaskOrchestrationContext context) => RunNightlyAsync(context, JobOrchestrationPolicy.Default);

    /// <summary>The run's orchestration under <paramref name="policy"/>.</summary>
    public static async Task<JobTotals> RunNightlyAsync(TaskOrchestrationContext context, JobOrchestrationPolicy policy)
    {
        var run = context.GetInput<NightlyRun>() ?? throw new InvalidOperationException("The nightly review needs its run.");
        var plan = await context.CallActivityAsync<JobPlan>(nameof(NightlyReviewPlan), run, policy.Retry);
        var results = await ShardWaves.RunAsync(context, nameof(NightlyReviewShard), plan, policy);
        return await context.CallActivityAsync<JobTotals>(nameof(NightlyReviewComplete), new NightlyResults(run, results), policy.Retry);
    }

    [Function(nameof(NightlyReviewPlan))]
    public Task<JobPlan> NightlyReviewPlan([ActivityTrigger] NightlyRun run, CancellationToken cancellationToken) =>
        nightly.PlanAsync(run.ProgramId, run.Date, cancellationToken);

    [Function(nameof(NightlyReviewShard))]
    public Task<ShardResult> NightlyReviewShard([ActivityTrigger] ShardTask task, CancellationToken cancellationToken) =>
        nightly.RunShardAsync(task.Key.ProgramId, task.Shard, NightlyReview.DateOf(task.Key), task.Slice, cancellationToken);

    [Function(nameof(NightlyReviewComplete))]
    public Task<JobTotals> NightlyReviewComplete([ActivityTrigger] NightlyResults done, CancellationToken cancellationToken) =>
        nightly.CompleteAsync(done.Run.ProgramId, done.Run.Date, done.Results, cancellationToken);
}

public sealed record NightlyResults(NightlyRun Run, IReadOnlyList<ShardResult> Results);
