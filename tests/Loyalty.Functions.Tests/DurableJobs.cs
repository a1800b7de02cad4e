using System.Net;
using System.Net.Sockets;
using Loyalty.Core.Application.Campaigns;
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
/// <see cref="CampaignFunctions"/>, <see cref="NightlyReviewFunctions"/> and <see cref="ShardWaves"/>, the activities on
/// function classes made by the app's container (its backend on Azurite).
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

    private DurableJobs(DurableTaskTestHost host, CampaignFunctions campaigns, NightlyReviewFunctions nightly)
    {
        this.host = host;
        Campaigns = campaigns;
        Nightly = nightly;
    }

    public DurableTaskClient Client => host.Client;

    /// <summary>The function class whose activities run, and whose timer method a test calls as the timer would.</summary>
    public CampaignFunctions Campaigns { get; }

    public NightlyReviewFunctions Nightly { get; }

    /// <param name="app">The Functions app's container: the function classes are made from it.</param>
    /// <param name="replace">Services the function classes take in place of the container's (a review over failing ports).</param>
    public static async Task<DurableJobs> StartAsync(IServiceProvider app, JobOrchestrationPolicy? policy = null, params object[] replace)
    {
        var campaigns = ActivatorUtilities.CreateInstance<CampaignFunctions>(app, [.. replace.OfType<CampaignFanOut>()]);
        var nightly = ActivatorUtilities.CreateInstance<NightlyReviewFunctions>(app, [.. replace.OfType<NightlyReview>()]);
        var host = await DurableTaskTestHost.StartAsync(
            registry => Register(registry, campaigns, nightly, policy ?? Quick), new DurableTaskTestHostOptions { Port = FreePort() });
        return new DurableJobs(host, campaigns, nightly);
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
    private static void Register(DurableTaskRegistry registry, CampaignFunctions campaigns, NightlyReviewFunctions nightly, JobOrchestrationPolicy policy) =>
        registry
            .AddOrchestratorFunc<CampaignRun, JobTotals>(nameof(CampaignFunctions.CampaignRunOrchestration), (context, _) => CampaignFunctions.RunCampaignAsync(context, policy))
            .AddOrchestratorFunc<NightlyRun, JobTotals>(nameof(NightlyReviewFunctions.NightlyReviewRun), (context, _) => NightlyReviewFunctions.RunNightlyAsync(context, policy))
            .AddOrchestratorFunc<WaveInput, ShardResult[]>(nameof(ShardWaves.ShardWave), (context, _) => ShardWaves.RunWaveAsync(context, policy))
            .AddActivityFunc<CampaignRun, JobPlan>(nameof(CampaignFunctions.CampaignPlan), (_, run) => campaigns.CampaignPlan(run, CancellationToken.None))
            .AddActivityFunc<ShardTask, ShardResult>(nameof(CampaignFunctions.CampaignShard), (_, task) => campaigns.CampaignShard(task, CancellationToken.None))
            .AddActivityFunc<CampaignResults, JobTotals>(nameof(CampaignFunctions.CampaignComplete), (_, done) => campaigns.CampaignComplete(done, CancellationToken.None))
            .AddActivityFunc<NightlyRun, JobPlan>(nameof(NightlyReviewFunctions.NightlyReviewPlan), (_, run) => nightly.NightlyReviewPlan(run, CancellationToken.None))
            .AddActivityFunc<ShardTask, ShardResult>(nameof(NightlyReviewFunctions.NightlyReviewShard), (_, task) => nightly.NightlyReviewShard(task, CancellationToken.None))
            .AddActivityFunc<NightlyResults, JobTotals>(nameof(NightlyReviewFunctions.NightlyReviewComplete), (_, done) => nightly.NightlyReviewComplete(done, CancellationToken.None));

    /// <summary>A port nothing listens on now, for the sidecar: tests running at once must not pick the same one.</summary>
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
