using Loyalty.Core.Application.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Jobs;

/// <summary>One shard of a run: the input of every shard activity.</summary>
public sealed record ShardTask(JobKey Key, int Shard);

/// <summary>The input of a wave: which shard activity to call, for which run, on which shards.</summary>
public sealed record WaveInput(string Activity, JobKey Key, IReadOnlyList<int> Shards);

/// <summary>
/// The fan-out shared by the sharded jobs (nightly review, campaign fan-out): a run's orchestration hands its plan's
/// shards out in waves (<see cref="JobWaves"/>), one sub-orchestration per wave with an instance id derived from the
/// run's, and each wave calls one activity per shard and fans the results back in. Inputs and outputs are keys, shard
/// numbers and counts, never member data. Shard activities are idempotent (they record their own progress), so the
/// retries below and a Durable replay never act on a member twice.
/// Checked against the Durable Functions isolated-worker API (docs/deploy.md lists the sources).
/// </summary>
public static class ShardWaves
{
    /// <summary>A shard activity or wave that fails (storage trouble) is retried with backoff before the run fails.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(10), backoffCoefficient: 2.0, maxRetryInterval: TimeSpan.FromMinutes(5)));

    /// <summary>Runs every shard of <paramref name="plan"/> through <paramref name="activity"/>, all waves at once.</summary>
    public static async Task<IReadOnlyList<ShardResult>> RunAsync(TaskOrchestrationContext context, string activity, JobPlan plan)
    {
        var waves = plan.Waves();
        var results = await Task.WhenAll(waves.Select((shards, i) => context.CallSubOrchestratorAsync<ShardResult[]>(
            nameof(ShardWave), new WaveInput(activity, plan.Key, shards), Retry.WithInstanceId(JobWaves.WaveInstanceId(context.InstanceId, i)))));
        return [.. results.SelectMany(wave => wave)];
    }

    [Function(nameof(ShardWave))]
    public static async Task<ShardResult[]> ShardWave([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var wave = context.GetInput<WaveInput>() ?? throw new InvalidOperationException("A wave needs its input.");
        return await Task.WhenAll(wave.Shards.Select(shard =>
            context.CallActivityAsync<ShardResult>(wave.Activity, new ShardTask(wave.Key, shard), Retry)));
    }

    /// <summary>
    /// Starts the orchestration of a run unless an instance of it is running or has completed: the instance id comes
    /// from the run's key, so two timer ticks (or two hosts) asking for the same run start it once. A failed or
    /// terminated instance is started again under the same id; its shards resume from their recorded progress.
    /// </summary>
    /// <returns>Whether this call started it.</returns>
    public static async Task<bool> StartOnceAsync(DurableTaskClient client, string orchestrator, JobKey key, object input, ILogger logger, CancellationToken cancellationToken)
    {
        var instanceId = key.InstanceId();
        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
            return false;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions { InstanceId = instanceId }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Started {Orchestrator} {InstanceId}.", orchestrator, instanceId);
            return true;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            // Another tick started the same run between our check and our start: the extension refuses a second
            // running instance with an id in use (the exception type differs between SDK versions, hence the re-check).
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is null)
                throw;
            logger.LogInformation(error, "{InstanceId} was started by someone else.", instanceId);
            return false;
        }
    }
}
