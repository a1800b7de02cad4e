using Loyalty.Core.Application.Jobs;

namespace Loyalty.Local.Workers;

/// <summary>
/// How the local host paces one sharded job's worker: its configuration section (<c>{Section}:Enabled</c>, default true;
/// <c>{Section}:Interval</c>, a fixed sleep) and the bounds of the sleep until the job's next due run.
/// </summary>
public sealed record JobWorkerSettings(string Section, TimeSpan MinimumSleep, TimeSpan MaximumSleep)
{
    /// <summary>Wakes when the next program's review is due (default 02:00 local, see <see cref="NightlySchedule"/>), at
    /// least every 15 minutes so a program created meanwhile is not missed.</summary>
    public static JobWorkerSettings Nightly { get; } = new("Nightly:Worker", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));

    /// <summary>Campaign runs fall due at any minute: every 30 seconds.</summary>
    public static JobWorkerSettings Campaigns { get; } = new("Campaigns:Worker", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));

    public string EnabledKey => $"{Section}:Enabled";

    public string IntervalKey => $"{Section}:Interval";

    /// <summary>These settings, with the sleep fixed where the configuration sets an interval.</summary>
    public JobWorkerSettings From(IConfiguration configuration) =>
        configuration.GetValue<TimeSpan?>(IntervalKey) is { } interval ? this with { MinimumSleep = interval, MaximumSleep = interval } : this;
}

/// <summary>
/// A sharded job on the local host: runs every due run in this process (<see cref="ShardedJob.RunDueAsync"/>), then
/// sleeps until the job's next one is due, within the bounds of its <see cref="JobWorkerSettings"/>. A run interrupted
/// by a crash is found due again at the next tick and resumes from its shards' progress; a run already complete is a
/// no-op. Azure runs the same job as Durable orchestrations started by a timer.
/// </summary>
public sealed class JobWorker(ShardedJob job, JobWorkerSettings settings, TimeProvider time, ILogger<JobWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var report in await job.RunDueAsync(new JobRunOptions(), null, stoppingToken))
                {
                    logger.Log(report.AlreadyComplete ? LogLevel.Debug : LogLevel.Information,
                        "Job {Key}: {Counts} in {Elapsed}; {ShardsRun} shards run, {ShardsSkipped} done before.",
                        report.Key, report.ThisRun, report.Elapsed, report.ShardsRun, report.ShardsSkipped);
                }
                var wait = await job.NextDueAtAsync(time.GetUtcNow(), stoppingToken) - time.GetUtcNow();
                await Task.Delay(
                    wait < settings.MinimumSleep ? settings.MinimumSleep : wait > settings.MaximumSleep ? settings.MaximumSleep : wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Job {Job} failed; trying again in {Wait}.", job.Name, settings.MinimumSleep);
                await Task.Delay(settings.MinimumSleep, time, stoppingToken);
            }
        }
    }
}
