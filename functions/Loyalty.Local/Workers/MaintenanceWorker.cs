using Loyalty.Core.Application;

namespace Loyalty.Local.Workers;

/// <summary>
/// The catch-up jobs (<see cref="Maintenance"/>) at start-up and then every
/// <c>Notifications:SweepInterval</c> (default 5 minutes). A failed round is logged and tried again on the next tick.
/// </summary>
public sealed class MaintenanceWorker(Maintenance maintenance, IConfiguration configuration, ILogger<MaintenanceWorker> logger) : BackgroundService
{
    public const string IntervalKey = "Notifications:SweepInterval";

    private readonly TimeSpan interval = Interval(configuration);

    public static TimeSpan Interval(IConfiguration configuration)
    {
        var interval = configuration.GetValue(IntervalKey, TimeSpan.FromMinutes(5));
        return interval > TimeSpan.Zero ? interval : throw new InvalidOperationException($"{IntervalKey} must be more than 0.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One round of both jobs.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (delivered, replayed) = await maintenance.RunAsync(cancellationToken);
            var level = delivered + replayed > 0 ? LogLevel.Information : LogLevel.Debug;
            logger.Log(level, "Outbox sweep: {Delivered} notifications delivered, {Replayed} parked receipts applied.", delivered, replayed);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Outbox sweep failed; trying again in {Interval}.", interval);
        }
    }
}
