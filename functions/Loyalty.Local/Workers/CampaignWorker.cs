using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;

namespace Loyalty.Local.Workers;

/// <summary>
/// Campaign activation on the local host: every <c>Campaigns:Worker:Interval</c> (default 30 s) starts the runs whose
/// time has come and fans each out in this process (<see cref="CampaignScheduler.RunDueAsync"/>). A run interrupted by
/// a crash is found still running at the next tick and resumes after the members it had reached. Azure starts the
/// same runs from a timer as Durable orchestrations.
/// </summary>
public sealed class CampaignWorker(CampaignScheduler scheduler, IConfiguration configuration, TimeProvider time, ILogger<CampaignWorker> logger) : BackgroundService
{
    public const string EnabledKey = "Campaigns:Worker:Enabled";
    public const string IntervalKey = "Campaigns:Worker:Interval";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue(IntervalKey, TimeSpan.FromSeconds(30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var report in await scheduler.RunDueAsync(new JobRunOptions(), null, stoppingToken).ConfigureAwait(false))
                    logger.LogInformation("Campaign run {Run}: {Counts} in {Elapsed}; {ShardsRun} shards run, {ShardsSkipped} done before.",
                        report.Key.Run, report.ThisRun, report.Elapsed, report.ShardsRun, report.ShardsSkipped);
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Campaign scheduling failed; trying again in {Wait}.", interval);
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
