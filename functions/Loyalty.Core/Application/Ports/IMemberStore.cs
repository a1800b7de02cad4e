namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Member profiles and states, and their writes. Every write for one member is atomic: the operation record, its
/// history and ledger rows, its outbox row and the new state land together or not at all. What a write leaves behind
/// is read through <see cref="IMemberHistory"/> and <see cref="IMemberOutbox"/>, which the same store serves.
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
}
