using System.Net;
using System.Net.Sockets;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Functions.Jobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Functions.Tests;

/// <summary>
/// The app's job orchestrations and activities run end to end in this process: <see cref="DurableTaskTestHost"/> (an
/// in-memory Durable backend behind a local gRPC sidecar) executes the very orchestrator and activity methods of
/// <see cref="ShardedJobFunctions"/> and <see cref="ShardWaves"/>, the activities on a function class made by the app's
/// container (its backend on Azurite).
/// </summary>
public sealed class DurableJobs : IAsyncDisposable
{
    /// <summary>The app's policy with retries a test need not wait for.</summary>
    public static readonly JobOrchestrationPolicy Quick = JobOrchestrationPolicy.Default with
    {
        Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromMilliseconds(200))),
    };

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly DurableTaskTestHost host;

    private DurableJobs(DurableTaskTestHost host, ShardedJobFunctions functions)
    {
        this.host = host;
        Functions = functions;
    }

    public DurableTaskClient Client => host.Client;

    /// <summary>The function class whose activities run, and whose timer methods a test calls as the timers would.</summary>
    public ShardedJobFunctions Functions { get; }

    /// <param name="app">The Functions app's container: the function class is made from it.</param>
    /// <param name="replace">Jobs the function class runs in place of the container's of the same name (a review over failing ports).</param>
    public static async Task<DurableJobs> StartAsync(IServiceProvider app, JobOrchestrationPolicy? policy = null, params ShardedJob[] replace)
    {
        IEnumerable<ShardedJob> jobs = [.. app.GetServices<ShardedJob>().Select(job => replace.FirstOrDefault(r => r.Name == job.Name) ?? job)];
        var functions = ActivatorUtilities.CreateInstance<ShardedJobFunctions>(app, jobs);
        var host = await DurableTaskTestHost.StartAsync(
            registry => Register(registry, functions, policy ?? Quick), new DurableTaskTestHostOptions { Port = FreePort() });
        return new DurableJobs(host, functions);
    }

    /// <summary>
    /// Waits for an instance to finish (complete, fail or be terminated) and returns it with its output. Polls, as
    /// the test host's completion wait is not woken by a termination.
    /// </summary>
    public async Task<OrchestrationMetadata> FinishedAsync(string instanceId)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, patience.Token) is { IsCompleted: true } done) return done;
            await Task.Delay(TimeSpan.FromMilliseconds(100), patience.Token);
        }
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    /// <summary>
    /// Every orchestration and activity of the jobs under its function name, each orchestrator with its input type (or
    /// its input would arrive as a JSON element). The only place they are registered: the Durable analyzer
    /// trips over a name registered twice.
    /// </summary>
    private static void Register(DurableTaskRegistry registry, ShardedJobFunctions functions, JobOrchestrationPolicy policy) =>
        registry
            .AddOrchestratorFunc<JobKey, JobTotals>(nameof(ShardedJobFunctions.ShardedJobRun), (context, _) => ShardedJobFunctions.RunAsync(context, policy))
            .AddOrchestratorFunc<WaveInput, ShardResult[]>(nameof(ShardWaves.ShardWave), (context, _) => ShardWaves.RunWaveAsync(context, policy))
            .AddActivityFunc<JobKey, JobPlan>(nameof(ShardedJobFunctions.ShardedJobPlan), (_, key) => functions.ShardedJobPlan(key, CancellationToken.None))
            .AddActivityFunc<ShardTask, ShardResult>(nameof(ShardedJobFunctions.ShardedJobShard), (_, task) =>
                functions.ShardedJobShard(task, CancellationToken.None))
            .AddActivityFunc<JobResults, JobTotals>(nameof(ShardedJobFunctions.ShardedJobComplete), (_, done) =>
                functions.ShardedJobComplete(done, CancellationToken.None));

    /// <summary>A port nothing listens on now, for the sidecar: tests running at once must not pick the same one.</summary>
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
