using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Jobs;

/// <summary>What a batch job does to one member: the write, built from the member as read, and what it counts.</summary>
public sealed record MemberChange(MemberWrite Write, JobCounts Counts);

/// <summary>A chunk's outcome: its counts, and the members whose change is in the store (written now or before).</summary>
/// <param name="Counts">Written: the counts of the changes committed now (each also recorded with its change); Seen: the rest.</param>
public sealed record BatchResult(ShardCounts Counts, IReadOnlyList<string> Written);

/// <summary>Counters every batch job reports (<see cref="MemberBatches"/>).</summary>
public static class BatchCounts
{
    /// <summary>Members with nothing to do once read (re-filed by another write, no longer matching, gone).</summary>
    public const string Skipped = "skipped";

    /// <summary>Members changed by another writer between read and write, changed again on their own.</summary>
    public const string Conflicts = "conflicts";

    /// <summary>Members whose operation was recorded before (an earlier, interrupted attempt wrote it).</summary>
    public const string AlreadyApplied = "alreadyApplied";

    /// <summary>Notifications left in the outbox because the queue failed; the outbox sweep sends them.</summary>
    public const string DeliveryDeferred = "deliveryDeferred";
}

/// <summary>
/// The write half of a batch job's chunk, shared by the nightly review and the campaign fan-out: members' changes go to
/// the store in as few transactions as it allows (members of a shard share a partition), a member changed by someone
/// else since it was read is reloaded and changed again on its own, and the chunk's notifications are sent together
/// (<see cref="NotificationBatch"/>) and removed from the outbox (a failure leaves them there for the outbox sweep; the writes stand).
/// Every change carries its counts into its own transaction (<see cref="JobTally"/>), so the job's totals can be read
/// back from what was written.
/// </summary>
internal sealed class MemberBatches(IMemberStore members, IMemberOutbox outboxes, INotificationQueue notifications)
{
    /// <summary>Members a job loads and writes per chunk; a shard's progress is recorded after each chunk.</summary>
    public const int ChunkSize = 100;

    /// <param name="change">The member's change, from the member as it is now; null when there is nothing to do for it.
    /// Called again with the reloaded member after a conflict, so it must depend on nothing but its argument.</param>
    public async Task<BatchResult> CommitAsync(
        JobKey job, LoadedProgram program, IReadOnlyList<StoredMember> loaded, Func<StoredMember, MemberChange?> change, CancellationToken cancellationToken)
    {
        change = Tallied(job, change);
        var (written, seen) = (JobCounts.Zero, JobCounts.Zero);
        var planned = new List<(MemberBatchWrite Write, JobCounts Counts)>(loaded.Count);
        foreach (var member in loaded)
        {
            if (change(member) is not { } planOne)
            {
                seen = seen.Add(BatchCounts.Skipped, 1);
                continue;
            }
            planned.Add((new MemberBatchWrite(program.Member(member.Profile.MemberId), planOne.Write, member.ConcurrencyToken), planOne.Counts));
        }

        var results = planned.Count == 0 ? [] : await members.CommitManyAsync([.. planned.Select(p => p.Write)], cancellationToken);
        // From here on the chunk is written: finish its delivery and bookkeeping even if the run is being stopped.
        cancellationToken = CancellationToken.None;
        var outbox = new List<Notification>();
        var inStore = new List<string>(planned.Count);
        for (var i = 0; i < planned.Count; i++)
        {
            var (write, planCounts) = planned[i];
            switch (results[i])
            {
                case CommitResult.Committed:
                    written += planCounts;
                    if (write.Write.Outbox is { } notification) outbox.Add(notification);
                    inStore.Add(write.Key.MemberId);
                    break;
                case CommitResult.AlreadyApplied:
                    seen = seen.Add(BatchCounts.AlreadyApplied, 1);
                    inStore.Add(write.Key.MemberId);
                    break;
                default:
                    var alone = await CommitAloneAsync(write.Key, change, cancellationToken);
                    written += alone.Counts.Written;
                    seen = seen.Add(BatchCounts.Conflicts, 1) + alone.Counts.Seen;
                    if (alone.Outbox is { } aloneOutbox) outbox.Add(aloneOutbox);
                    if (alone.Written) inStore.Add(write.Key.MemberId);
                    break;
            }
        }
        var (delivered, deferred) = await SendAsync(outbox);
        if (delivered.Count > 0) await outboxes.DeleteOutboxManyAsync(delivered, program.Settings.Shards, cancellationToken);
        return new BatchResult(new ShardCounts(written, seen.Add(BatchCounts.DeliveryDeferred, deferred)), inStore);
    }

    private static Func<StoredMember, MemberChange?> Tallied(JobKey job, Func<StoredMember, MemberChange?> change) =>
        member => change(member) is { } planned ? planned with { Write = planned.Write with { Tally = new JobTally(job, planned.Counts) } } : null;

    private async Task<(ShardCounts Counts, Notification? Outbox, bool Written)> CommitAloneAsync(
        MemberKey key, Func<StoredMember, MemberChange?> change, CancellationToken cancellationToken)
    {
        (ShardCounts, Notification?, bool) done = (new ShardCounts(JobCounts.Zero, JobCounts.Zero.Add(BatchCounts.Skipped, 1)), null, false);
        var result = await Concurrency.RetryAsync(async () =>
        {
            if (await members.GetAsync(key, cancellationToken) is not { } member || change(member) is not { } planned)
                return Result<bool>.Ok(false);
            switch (await members.CommitAsync(key, planned.Write, member.ConcurrencyToken, cancellationToken))
            {
                case CommitResult.Committed:
                    done = (new ShardCounts(planned.Counts, JobCounts.Zero), planned.Write.Outbox, true);
                    return Result<bool>.Ok(true);
                case CommitResult.AlreadyApplied:
                    done = (new ShardCounts(JobCounts.Zero, JobCounts.Zero.Add(BatchCounts.AlreadyApplied, 1)), null, true);
                    return Result<bool>.Ok(true);
                default:
                    return null;
            }
        }, cancellationToken);
        return result.IsValid
            ? done
            : throw new InvalidOperationException($"Member '{key.MemberId}' of program '{key.ProgramId}' kept changing during a batch " +
                "job; the job can be run again.");
    }

    /// <summary>The chunk's notifications go out together; after a failure they all stay in the outbox for the sweep.</summary>
    private async Task<(IReadOnlyList<Notification> Delivered, int Deferred)> SendAsync(List<Notification> outbox)
    {
        if (outbox.Count == 0) return ([], 0);
        try
        {
            await notifications.SendAsync(outbox, CancellationToken.None);
            return (outbox, 0);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ([], outbox.Count);
        }
    }
}
