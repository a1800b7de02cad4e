using System.Collections.Immutable;
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
public sealed class MemberCommits(IMemberStore members, IMemberHistory history, IMemberOutbox outbox, INotificationQueue notifications, TimeProvider time)
{
    private readonly MemberLocks locks = new();

    /// <param name="reads">Records the operation builds on besides its own (the purchase a return takes from), read into the book.</param>
    /// <param name="decide">
    /// The operation <paramref name="operationId"/> on the member's book as it is now; or the errors that refuse it.
    /// </param>
    /// <param name="write">The write that stores the change (<see cref="MemberWrite.From(LoadedProgram, MemberProfile, MemberActivity, BookChange,
    /// DateTimeOffset)"/>).</param>
    public async Task<Result<Outcome>> RunAsync(
        MemberKey key, string operationId, IReadOnlyList<string> reads, Func<StoredMember, MemberBook, DateTimeOffset, Task<Result<BookChange>>> decide,
        Func<StoredMember, BookChange, DateTimeOffset, MemberWrite> write, CancellationToken cancellationToken)
    {
        using var turn = await locks.AcquireAsync($"{key.ProgramId}/{key.MemberId}", cancellationToken);
        return await Concurrency.RetryAsync(async () =>
        {
            var member = await members.GetAsync(key, cancellationToken);
            // An erased member keeps its points for the accounts but takes part in nothing new; a redelivery of an
            // operation from before the erasure still gets its first outcome.
            if (member is not { Profile.ErasedAt: null })
                return member is not null && await ReplayAsync(key, member.State, operationId, cancellationToken) is { } before
                    ? before
                    : Refusals.MemberNotFound<Outcome>();
            var now = time.GetUtcNow();
            var decided = await decide(member, await BookAsync(key, member.State, reads, cancellationToken), now);
            if (!decided.IsValid)
            {
                // Refused now ("voucher not open") after our own earlier success is a replay, not a failure.
                return await ReplayAsync(key, member.State, operationId, cancellationToken) is { } done
                    ? done
                    : Result<Outcome>.Fail(decided.Errors);
            }
            var change = decided.Value;
            if (change.Replayed) return change.Transition.Outcome;
            var written = write(member, change, now);
            // Typed arms: an untyped null could bind to the implicit conversion from Outcome (which refuses null) instead of meaning "try again".
            switch (await members.CommitAsync(key, written, member.ConcurrencyToken, cancellationToken))
            {
                case CommitResult.Committed:
                    if (written.Outbox is { } notification) await DeliverAsync(key, notification, cancellationToken);
                    return Result<Outcome>.Ok(change.Transition.Outcome);
                case CommitResult.AlreadyApplied:
                    return await ReplayAsync(key, member.State, operationId, cancellationToken)
                        ?? throw new InvalidOperationException($"Operation '{operationId}' of member '{key.MemberId}' was reported applied but has no record.");
                default:
                    return (Result<Outcome>?)null;
            }
        }, cancellationToken);
    }

    /// <summary>
    /// The member's book with the records named, those that exist: the one way records from storage reach a book, so
    /// the book's own rules (a recorded operation replays; a return finds its purchase) decide in production as in tests.
    /// </summary>
    private async Task<MemberBook> BookAsync(MemberKey key, MemberState state, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var records = ImmutableDictionary<string, OperationRecord>.Empty;
        foreach (var id in ids)
            if (await history.GetOperationAsync(key, id, cancellationToken) is { } record) records = records.SetItem(id, record);
        return new MemberBook(state, records);
    }

    /// <summary>The first outcome of <paramref name="operationId"/>, if the store has recorded it.</summary>
    private async Task<Outcome?> ReplayAsync(MemberKey key, MemberState state, string operationId, CancellationToken cancellationToken) =>
        (await BookAsync(key, state, [operationId], cancellationToken)).Replayed(operationId)?.Transition.Outcome;

    /// <summary>
    /// Sends, then clears the outbox row. A crash in between sends it again later (the outbox sweep), with the same
    /// id; a failure here surfaces to the caller, whose retry finds the operation applied and the sweep delivers.
    /// </summary>
    public async Task DeliverAsync(MemberKey key, Notification notification, CancellationToken cancellationToken)
    {
        await notifications.SendAsync([notification], cancellationToken);
        await outbox.DeleteOutboxAsync(key, notification.OperationId, cancellationToken);
    }
}
