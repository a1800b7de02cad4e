using Loyalty.Core.Application;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Maintenance;

/// <summary>
/// The catch-up jobs (<see cref="Core.Application.Maintenance"/>) every five minutes, as the local host's MaintenanceWorker.
/// The timer trigger runs one instance at a time across the app (a blob lease in AzureWebJobsStorage).
/// A failure is logged as a failed invocation and the next tick tries again.
/// </summary>
public sealed class MaintenanceFunction(Core.Application.Maintenance maintenance, ILogger<MaintenanceFunction> logger)
{
    [Function("Maintenance")]
    public async Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var (delivered, replayed) = await maintenance.RunAsync(cancellationToken);
        logger.Log(delivered + replayed > 0 ? LogLevel.Information : LogLevel.Debug,
            "Maintenance: {Delivered} notifications delivered, {Replayed} parked receipts applied.", delivered, replayed);
    }
}
