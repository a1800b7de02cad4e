using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application;

/// <summary>
/// Delivers notifications left in member outboxes: an operation's own request normally delivers its notification
/// right after committing, so this only finds what a crash or a queue outage left behind. Hosts run it at start-up
/// and then on a timer.
/// </summary>
public sealed class OutboxSweep
{
    /// <summary>
    /// Younger rows are still being delivered by their own request; sweeping them too would send most of them twice.
    /// </summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(1);

    private readonly IProgramStore programStore;
    private readonly IMemberOutbox outbox;
    private readonly INotificationQueue notifications;
    private readonly TimeProvider time;

    public OutboxSweep(IProgramStore programStore, IMemberOutbox outbox, INotificationQueue notifications, TimeProvider time)
    {
        this.programStore = programStore;
        this.outbox = outbox;
        this.notifications = notifications;
        this.time = time;
    }

    /// <returns>How many notifications were delivered.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        foreach (var programId in await programStore.ListIdsAsync(cancellationToken))
        {
            if (await programStore.GetAsync(programId, cancellationToken) is not { } program) continue;
            var shards = program.Settings.Shards;
            for (var shard = 0; shard < shards; shard++)
            {
                var cutoff = time.GetUtcNow() - MinimumAge;
                var due = (await outbox.ListOutboxAsync(programId, shards, shard, cancellationToken))
                    .Where(n => n.At <= cutoff).ToList();
                if (due.Count == 0) continue;
                await notifications.SendAsync(due, cancellationToken);
                await outbox.DeleteOutboxManyAsync(due, shards, cancellationToken);
                delivered += due.Count;
            }
        }
        return delivered;
    }
}
