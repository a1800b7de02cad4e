using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application;

/// <summary>
/// Delivers notifications left in member outboxes: an operation's own request normally delivers its notification
/// right after committing, so this only finds what a crash or a queue outage left behind. Hosts run it at start-up
/// and then on a timer.
/// </summary>
public sealed class OutboxSweep
{
    private readonly IProgramStore programStore;
    private readonly IMemberStore members;
    private readonly MemberCommits commits;

    internal OutboxSweep(IProgramStore programStore, IMemberStore members, MemberCommits commits)
    {
        this.programStore = programStore;
        this.members = members;
        this.commits = commits;
    }

    /// <returns>How many notifications were delivered.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        foreach (var programId in await programStore.ListIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await programStore.GetAsync(programId, cancellationToken).ConfigureAwait(false) is not { } program) continue;
            var shards = program.Settings.Shards;
            for (var shard = 0; shard < shards; shard++)
            {
                foreach (var notification in await members.ListOutboxAsync(programId, shards, shard, cancellationToken).ConfigureAwait(false))
                {
                    await commits.DeliverAsync(new MemberKey(programId, shards, notification.MemberId), notification, cancellationToken).ConfigureAwait(false);
                    delivered++;
                }
            }
        }
        return delivered;
    }
}
