using Loyalty.Api.Endpoints;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;

namespace Loyalty.Local.Workers;

/// <summary>
/// Runs a job an operator asked for in this process, in the background, as the workers run due ones: the request
/// answers at once and the progress resource shows how far it got. A run already going in this process is not
/// started again; one going in another host runs beside it safely (shards resume and skip what is written) and counts
/// exactly. Stopping the host stops it after the chunk in flight; asking again resumes it.
/// </summary>
public sealed class LocalJobStarter(NightlyReview nightly, CampaignFanOut fanOut, IHostApplicationLifetime lifetime,
    ILogger<LocalJobStarter> logger) : IJobStarter
{
    private readonly HashSet<JobKey> running = [];

    public Task StartNightlyAsync(NightlyRun run, CancellationToken cancellationToken) => Start(nightly, NightlyReview.Key(run.ProgramId, run.Date));

    public Task StartCampaignAsync(CampaignRun run, CancellationToken cancellationToken) => Start(fanOut, CampaignFanOut.Key(run));

    private Task Start(ShardedJob job, JobKey key)
    {
        lock (running)
            if (!running.Add(key)) return Task.CompletedTask;
        var stopping = lifetime.ApplicationStopping;
        _ = Task.Run(async () =>
        {
            try
            {
                var report = await job.RunAsync(key, cancellationToken: stopping);
                logger.LogInformation("Job {Key} run on request: {Counts} in {Elapsed}.", key, report.ThisRun, report.Elapsed);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                logger.LogInformation("Job {Key} stopped with the host; asking again resumes it.", key);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Job {Key} failed; asking again resumes it.", key);
            }
            finally
            {
                lock (running) running.Remove(key);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }
}
