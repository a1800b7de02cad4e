using Loyalty.Core.Application.Jobs;

namespace Loyalty.Local.Workers;

/// <summary>
/// The nightly tier evaluation on the local host: runs every program whose review is due (its local time, default
/// 02:00, see <see cref="NightlySchedule"/>), then sleeps until the next one is due, waking at least every 15 minutes
/// so a program created meanwhile is not missed. A run restarted after a crash skips the shards it finished; a
/// night already done is a no-op. Azure runs the same plan and shard activities from a timer.
/// </summary>
public sealed class NightlyWorker(NightlyReview nightly, TimeProvider time, ILogger<NightlyWorker> logger) : BackgroundService
{
    public const string EnabledKey = "Nightly:Worker:Enabled";

    private static readonly TimeSpan MinimumSleep = TimeSpan.FromMinutes(1), MaximumSleep = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var report in await nightly.RunDueAsync(new JobRunOptions(), null, stoppingToken).ConfigureAwait(false))
                {
                    logger.Log(report.AlreadyComplete ? LogLevel.Debug : LogLevel.Information,
                        "Nightly review {Program} {Run}: {Counts} in {Elapsed}; {ShardsRun} shards run, {ShardsSkipped} done before.",
                        report.Key.ProgramId, report.Key.Run, report.ThisRun, report.Elapsed, report.ShardsRun, report.ShardsSkipped);
                }
                var wait = await nightly.NextDueAtAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false) - time.GetUtcNow();
                await Task.Delay(wait < MinimumSleep ? MinimumSleep : wait > MaximumSleep ? MaximumSleep : wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Nightly review failed; trying again in {Wait}.", MinimumSleep);
                await Task.Delay(MinimumSleep, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
