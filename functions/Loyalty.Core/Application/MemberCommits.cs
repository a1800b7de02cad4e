using Loyalty.Core.Application.Ports;
using Loyalty.Core.Events;
using Loyalty.Core.Members;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

/// <summary>
/// Runs one idempotent operation on a member: read, decide, commit in one transaction with the operation's record,
/// retry on a lost race, and deliver the operation's notification from the outbox. The record is the idempotency key,
/// so a retried request, a redelivered message or one racing its own retry gets the first outcome back.
/// </summary>
internal sealed class MemberCommits(IMemberStore members, INotificationQueue notifications, TimeProvider time)
{
    private readonly MemberLocks locks = new();

    /// <param name="prepare">
    /// The write for this member as it is now, with <see cref="MemberWrite.Operation"/> set to the record of
    /// <paramref name="operationId"/>; or the errors that refuse it.
    /// </param>
    public async Task<Result<Outcome>> RunAsync(
        MemberKey key, string operationId, Func<StoredMember, DateTimeOffset, Task<Result<MemberWrite>>> prepare, CancellationToken cancellationToken)
    {
        using var turn = await locks.AcquireAsync($"{key.ProgramId}/{key.MemberId}", cancellationToken).ConfigureAwait(false);
        return await Concurrency.RetryAsync(async () =>
        {
            var member = await members.GetAsync(key, cancellationToken).ConfigureAwait(false);
            // An erased member keeps its points for the accounts but takes part in nothing new; a redelivery of an
            // operation from before the erasure still gets its first outcome.
            if (member is not { Profile.ErasedAt: null })
                return member is not null && await members.GetOperationAsync(key, operationId, cancellationToken).ConfigureAwait(false) is { } before
                    ? before.Outcome
                    : Refusals.MemberNotFound<Outcome>();
            var prepared = await prepare(member, time.GetUtcNow()).ConfigureAwait(false);
            if (!prepared.IsValid)
            {
                // Refused now ("voucher not open") after our own earlier success is a replay, not a failure.
                return await members.GetOperationAsync(key, operationId, cancellationToken).ConfigureAwait(false) is { } done
                    ? done.Outcome
                    : Result<Outcome>.Fail(prepared.Errors);
            }
            var write = prepared.Value;
            // Typed arms: an untyped null could bind to the implicit conversion from Outcome (which refuses null) instead of meaning "try again".
            switch (await members.CommitAsync(key, write, member.ConcurrencyToken, cancellationToken).ConfigureAwait(false))
            {
                case CommitResult.Committed:
                    if (write.Outbox is { } notification) await DeliverAsync(key, notification, cancellationToken).ConfigureAwait(false);
                    return Result<Outcome>.Ok(write.Operation!.Outcome);
                case CommitResult.AlreadyApplied:
                    return (await members.GetOperationAsync(key, operationId, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"Operation '{operationId}' of member '{key.MemberId}' was reported applied but has no record.")).Outcome;
                default:
                    return (Result<Outcome>?)null;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends, then clears the outbox row. A crash in between sends it again later (the outbox sweep), with the same
    /// id; a failure here surfaces to the caller, whose retry finds the operation applied and the sweep delivers.
    /// </summary>
    public async Task DeliverAsync(MemberKey key, Notification notification, CancellationToken cancellationToken)
    {
        await notifications.SendAsync([notification], cancellationToken).ConfigureAwait(false);
        await members.DeleteOutboxAsync(key, notification.OperationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The outbox row for a transition's events, or null when there is nothing to tell.</summary>
    public static Notification? Outbox(MemberKey key, Transition transition, DateTimeOffset at) =>
        transition.Events.Count == 0 ? null : new Notification(key.ProgramId, key.MemberId, transition.Outcome.OperationId, at, transition.Events);
}
