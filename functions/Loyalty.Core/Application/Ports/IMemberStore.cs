using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;

namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Member profiles and states, operation records, receipt history and ledger. Every write for one member is atomic:
/// the operation record, its history and ledger rows and the new state land together or not at all.
/// </summary>
public interface IMemberStore
{
    Task<StoredMember?> GetAsync(MemberKey key, CancellationToken cancellationToken);

    /// <summary>Writes a new member with its first operation (enrolment).</summary>
    /// <exception cref="InvalidOperationException">The member id exists already.</exception>
    Task InsertAsync(MemberKey key, MemberWrite write, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the member if it is still at <paramref name="concurrencyToken"/> and, when <see cref="MemberWrite.Operation"/>
    /// is set, that operation has not been recorded before.
    /// </summary>
    Task<CommitResult> CommitAsync(MemberKey key, MemberWrite write, string concurrencyToken, CancellationToken cancellationToken);

    /// <summary>Several members at once, for batch jobs; missing members are left out, the others keep the order of <paramref name="keys"/>.</summary>
    Task<IReadOnlyList<StoredMember>> GetManyAsync(IReadOnlyList<MemberKey> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Writes many members in as few transactions as the store allows (members sharing a partition go together), each
    /// under the same rules as <see cref="CommitAsync"/>, or as <see cref="InsertAsync"/> when its token is null. A write
    /// that fails its condition is left out and reported; the others are written all the same.
    /// </summary>
    /// <returns>One result per write, in order: <see cref="CommitResult.Conflict"/> (changed or gone since read: reload),
    /// <see cref="CommitResult.AlreadyApplied"/> (its operation was recorded before, or the new member exists).</returns>
    Task<IReadOnlyList<CommitResult>> CommitManyAsync(IReadOnlyList<MemberBatchWrite> writes, CancellationToken cancellationToken);

    /// <summary>
    /// One page of a shard's members in member-id order, starting after the member id <paramref name="after"/> (null: from
    /// the start): how batch jobs visit every member of a shard as one key range. <see cref="CursorPage{T}.Next"/> is the
    /// last member id of the page, null after the last page.
    /// </summary>
    Task<CursorPage<StoredMember>> ListShardAsync(string programId, int shard, int pageSize, string? after, CancellationToken cancellationToken);

    Task<OperationRecord?> GetOperationAsync(MemberKey key, string operationId, CancellationToken cancellationToken);

    /// <summary>Receipts newest first, starting after the cursor of the previous page's last item.</summary>
    Task<CursorPage<ReceiptSummary>> ListReceiptsAsync(MemberKey key, int pageSize, string? after, CancellationToken cancellationToken);

    /// <summary>Ledger entries newest first, starting after the cursor of the previous page.</summary>
    Task<CursorPage<LedgerEntry>> ListLedgerAsync(MemberKey key, int pageSize, string? after, CancellationToken cancellationToken);

    /// <summary>Notifications written with their operation and not yet delivered, in one shard of a program.</summary>
    Task<IReadOnlyList<Notification>> ListOutboxAsync(string programId, int shards, int shard, CancellationToken cancellationToken);

    /// <summary>Removes a delivered notification (by its operation id) from the outbox; removing one that is gone already is fine.</summary>
    Task DeleteOutboxAsync(MemberKey key, string operationId, CancellationToken cancellationToken);

    /// <summary>Removes many delivered notifications, batched per partition; removing ones that are gone already is fine.</summary>
    Task DeleteOutboxManyAsync(IReadOnlyList<Notification> delivered, int shards, CancellationToken cancellationToken);
}

/// <param name="ConcurrencyToken">As read with the member; null to insert a new member.</param>
public sealed record MemberBatchWrite(MemberKey Key, MemberWrite Write, string? ConcurrencyToken);

/// <summary>Where a member lives: the program, its fixed shard count, the member id.</summary>
public sealed record MemberKey(string ProgramId, int Shards, string MemberId);

/// <param name="ConcurrencyToken">
/// Opaque version of the member (for the table store: the profile's ETag and the date the member is filed under for
/// review); pass it back to <see cref="IMemberStore.CommitAsync"/>.
/// </param>
public sealed record StoredMember(MemberProfile Profile, MemberState State, MemberActivity Activity, string ConcurrencyToken)
{
    /// <summary>The date the member is filed under in the review index (<see cref="MemberWrite.ReviewOn"/> of its last write).</summary>
    public DateOnly? ReviewOn { get; init; }
}

/// <summary>
/// One atomic change to a member: the new profile and state, and optionally the operation that caused it (its record
/// is the idempotency key), the ledger entries it wrote, the receipt it applied, earlier records it changed (a
/// purchase's returned quantities), the notification for its events (the outbox row) and the consent changes it made (kept
/// for good in the member's consent history). <see cref="At"/> orders history.
/// <see cref="ReviewOn"/> is the date the nightly job must next look at the member (<see cref="LoadedProgram.NextReviewOn"/>;
/// null: nothing changes by itself): the store files the member under it in the same transaction, moving the entry
/// from the date it was filed under when read, so the nightly job finds exactly the members due.
/// <see cref="Tally"/> is what a batch job counts for this write: the store commits it in the same transaction, so a
/// job's totals are read from what was written (<see cref="IJobProgressStore.WrittenAsync"/>), never lost to a crash
/// between the write and a progress row, nor counted twice by two runners.
/// </summary>
public sealed record MemberWrite(
    MemberProfile Profile,
    MemberState State,
    MemberActivity Activity,
    DateTimeOffset At,
    DateOnly? ReviewOn,
    OperationRecord? Operation = null,
    IReadOnlyList<LedgerEntry>? Ledger = null,
    ReceiptSummary? Receipt = null,
    IReadOnlyList<OperationRecord>? UpdatedRecords = null,
    Notification? Outbox = null,
    IReadOnlyList<ConsentChange>? ConsentChanges = null,
    JobTally? Tally = null);

/// <summary>What a job run counts for one member write (<see cref="MemberWrite.Tally"/>).</summary>
public sealed record JobTally(JobKey Job, JobCounts Counts);

public enum CommitResult
{
    Committed,

    /// <summary>The member changed since it was read: reload and try again.</summary>
    Conflict,

    /// <summary>The operation was recorded before: nothing was written; read its record for the first outcome.</summary>
    AlreadyApplied,
}

/// <summary>
/// A page and the cursor to continue after it (null on the last page). Cursors are store-defined text without
/// control characters; the service wraps them into opaque continuation tokens.
/// </summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Items, string? Next);
