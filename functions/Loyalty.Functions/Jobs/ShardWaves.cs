using Loyalty.Core.Application.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Jobs;

/// <summary>One shard of a run: the input of every shard activity, with how much of the shard one call may do.</summary>
public sealed record ShardTask(JobKey Key, int Shard, ShardSlice? Slice = null);

/// <summary>The input of a wave: which shard activity to call, for which run, on which shards.</summary>
public sealed record WaveInput(string Activity, JobKey Key, IReadOnlyList<int> Shards);

/// <summary>How the job orchestrations call their activities and waves: the retry policy, and the slice of a shard per call.</summary>
public sealed record JobOrchestrationPolicy(TaskOptions Retry, ShardSlice Slice)
{
    /// <summary>
    /// A failing activity or wave (storage trouble) is retried with backoff before the run fails; a shard call stops
    /// starting chunks after 5 minutes, half of host.json's <c>functionTimeout</c>, so the chunk in flight and the
    /// progress row have the other half.
    /// </summary>
    public static JobOrchestrationPolicy Default { get; } = new(
        TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(10), backoffCoefficient: 2.0, maxRetryInterval: TimeSpan.FromMinutes(5))),
        new ShardSlice(TimeSpan.FromMinutes(5)));
}

/// <summary>
/// The fan-out of every sharded job (<see cref="ShardedJobFunctions"/>): a run's shards in waves (<see cref="JobWaves"/>),
/// one sub-orchestration per wave, which calls each shard's activity again until the shard reports itself finished.
/// Inputs and outputs are keys, shard numbers and counts, never member data, so Durable histories stay small; shard
/// activities record their own progress, so retries and a replay never act on a member twice. Starts, restarts and
/// retries: docs/deploy.md, 'Sharded jobs: nightly tier evaluation and campaign runs (Durable)'; the Durable API this
/// was checked against: docs/deploy.md, 'What was checked where'.
/// </summary>
public static class ShardWaves
{
    /// <summary>How long a start waits for the waves it terminated to stop before it leaves the run to the next tick.</summary>
    private static readonly TimeSpan WavesStopWithin = TimeSpan.FromSeconds(30);

    /// <summary>Runs every shard of <paramref name="plan"/> through <paramref name="activity"/>, all waves at once.</summary>
    public static async Task<IReadOnlyList<ShardResult>> RunAsync(
        TaskOrchestrationContext context, string activity, JobPlan plan, JobOrchestrationPolicy policy)
    {
        var waves = plan.Waves();
        var results = await Task.WhenAll(waves.Select((shards, i) => context.CallSubOrchestratorAsync<ShardResult[]>(
            nameof(ShardWave), new WaveInput(activity, plan.Key, shards), policy.Retry.WithInstanceId(JobWaves.WaveInstanceId(context.InstanceId, i)))));
        return [.. results.SelectMany(wave => wave)];
    }

    [Function(nameof(ShardWave))]
    public static Task<ShardResult[]> ShardWave([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunWaveAsync(context, JobOrchestrationPolicy.Default);

    /// <summary>The wave orchestration under <paramref name="policy"/>.</summary>
    public static async Task<ShardResult[]> RunWaveAsync(TaskOrchestrationContext context, JobOrchestrationPolicy policy)
    {
        var wave = context.GetInput<WaveInput>() ?? throw new InvalidOperationException("A wave needs its input.");
        return await Task.WhenAll(wave.Shards.Select(shard => RunShardAsync(context, wave, shard, policy)));
    }

    /// <summary>
    /// Starts the orchestration of a run (<see cref="ShardedJobFunctions.ShardedJobRun"/>) unless an instance of it is running or has completed: the instance
    /// id comes
    /// from the run's key, so two timer ticks (or two hosts) asking for the same run start it once. A terminated
    /// instance is started again under the same id, after its waves are stopped and cleared; its shards resume from
    /// their recorded progress. A failed one too, when <paramref name="restarts"/> says it may (a growing delay, then
    /// never, with an error logged once) or an operator asks.
    /// </summary>
    /// <param name="byOperator">An operator's "run now": a failed run starts at once, and its attempts are counted from one again.</param>
    /// <returns>Whether this call started it.</returns>
    public static async Task<bool> StartOnceAsync(
        DurableTaskClient client, JobKey key, JobRestarts restarts, bool byOperator, ILogger logger, CancellationToken cancellationToken)
    {
        var instanceId = key.InstanceId();
        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (existing is not null && existing.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
            return false;
        if (existing is { RuntimeStatus: OrchestrationRuntimeStatus.Failed } && !byOperator)
        {
            var failure = Failure(existing);
            switch (await restarts.AfterFailureAsync(key, failure, cancellationToken))
            {
                case RestartDecision.Wait or RestartDecision.GivenUp:
                    return false;
                case RestartDecision.GiveUp:
                    logger.LogError(
                        "{InstanceId} failed {Attempts} times and is given up: timers no longer start it; fix the cause, then run " +
                            "it now. Last failure: {Failure}",
                        instanceId, restarts.Policy.MaxAttempts, failure);
                    return false;
            }
        }
        if (existing is not null && !await ClearWavesAsync(client, instanceId, logger, cancellationToken))
            return false;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(ShardedJobFunctions.ShardedJobRun), key,
                new StartOrchestrationOptions { InstanceId = instanceId }, cancellationToken);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            // Another tick started the same run between our check and our start: the extension refuses a second
            // running instance with an id in use (the exception type differs between SDK versions, hence the re-check).
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is null)
                throw;
            logger.LogInformation(error, "{InstanceId} was started by someone else.", instanceId);
            return false;
        }
        await restarts.StartedAsync(key, fresh: existing is null || byOperator, cancellationToken);
        logger.LogInformation("Started {InstanceId}.", instanceId);
        return true;
    }

    /// <summary>
    /// A shard's activity, called again for as long as it returns unfinished: each call does one slice and records
    /// where it stopped, so no call outlives the function timeout however large the shard.
    /// </summary>
    private static async Task<ShardResult> RunShardAsync(TaskOrchestrationContext context, WaveInput wave, int shard, JobOrchestrationPolicy policy)
    {
        var task = new ShardTask(wave.Key, shard, policy.Slice);
        ShardResult result;
        do result = await context.CallActivityAsync<ShardResult>(wave.Activity, task, policy.Retry);
        while (result.Unfinished);
        return result;
    }

    /// <summary>
    /// Clears the waves of an earlier instance of the run before it starts again: terminates those still going
    /// (terminating or failing a parent leaves its sub-orchestrations running) and purges them all, so the new
    /// instance starts its waves afresh under the same ids rather than meet an old instance there. Waves are numbered
    /// from 0 without gaps: the first id with no instance ends them.
    /// </summary>
    /// <returns>False when some wave has not stopped yet; the run is then left to the next tick.</returns>
    private static async Task<bool> ClearWavesAsync(DurableTaskClient client, string runInstanceId, ILogger logger, CancellationToken cancellationToken)
    {
        for (var wave = 0; ; wave++)
        {
            var waveId = JobWaves.WaveInstanceId(runInstanceId, wave);
            var instance = await client.GetInstanceAsync(waveId, getInputsAndOutputs: false, cancellationToken);
            if (instance is null) return true;
            if (!instance.IsCompleted)
            {
                await client.TerminateInstanceAsync(waveId, $"{runInstanceId} is being started again.", cancellationToken);
                if (!await StoppedAsync(client, waveId, cancellationToken))
                {
                    logger.LogWarning("{WaveId} was terminated but has not stopped yet; {InstanceId} starts again at a later tick.", waveId, runInstanceId);
                    return false;
                }
                logger.LogInformation("Terminated {WaveId}, left running by an earlier instance of {InstanceId}.", waveId, runInstanceId);
            }
            await client.PurgeInstanceAsync(waveId, cancellationToken);
        }
    }

    /// <summary>
    /// Whether a terminated instance reached a final state within <see cref="WavesStopWithin"/>: termination is a
    /// message the instance processes later. Polled rather than waited for, which not every backend signals.
    /// </summary>
    private static async Task<bool> StoppedAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + WavesStopWithin;
        while (true)
        {
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not { IsCompleted: false }) return true;
            if (DateTimeOffset.UtcNow >= until) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>What a failed instance failed with, short enough for the progress row.</summary>
    private static string Failure(OrchestrationMetadata instance)
    {
        var text = instance.FailureDetails is { } details ? $"{details.ErrorType}: {details.ErrorMessage}" : "failed without details";
        return text.Length <= 1000 ? text : text[..1000];
    }
}
