using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Events;
using Loyalty.Core.Members;

namespace Loyalty.Core.Application.Ports;

/// <summary>The rows of a member that only export and erasure need, beside what <see cref="IMemberStore"/> offers.</summary>
public interface IPrivacyStore
{
    /// <summary>Every consent change of the member, oldest first.</summary>
    Task<IReadOnlyList<ConsentChange>> ListConsentHistoryAsync(MemberKey key, CancellationToken cancellationToken);

    /// <summary>The member's operation records whose id starts with <paramref name="prefix"/> ("" for all), in id order.</summary>
    Task<IReadOnlyList<OperationRecord>> ListOperationsAsync(MemberKey key, string prefix, CancellationToken cancellationToken);

    /// <summary>The member's notifications written but not yet delivered.</summary>
    Task<IReadOnlyList<Notification>> ListOutboxAsync(MemberKey key, CancellationToken cancellationToken);

    Task<ErasureRecord?> GetErasureAsync(MemberKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the de-identified member and its erasure record in one transaction, if the member is still at
    /// <paramref name="concurrencyToken"/>; <see cref="CommitResult.AlreadyApplied"/> when it was erased before.
    /// </summary>
    Task<CommitResult> CommitErasureAsync(MemberKey key, MemberWrite write, ErasureRecord record, string concurrencyToken, CancellationToken cancellationToken);
}

/// <summary>GDPR export documents (Blob storage), one per export, under the program and member.</summary>
public interface IExportStore
{
    /// <returns>Where the document is kept.</returns>
    Task<string> SaveAsync(string programId, string memberId, DateTimeOffset at, ReadOnlyMemory<byte> document, CancellationToken cancellationToken);

    /// <summary>Deletes every export of the member.</summary>
    /// <returns>How many were deleted.</returns>
    Task<int> DeleteAllAsync(string programId, string memberId, CancellationToken cancellationToken);
}

/// <summary>
/// Campaign audience exports (NDJSON for the e-mail/SMS provider, blob prefix <c>campaigns/{programId}/…</c>) that
/// listed a member: erasure cannot recall what a provider received, so it names them for the operator to purge there.
/// </summary>
public interface ICampaignExports
{
    Task<IReadOnlyList<string>> ListForMemberAsync(string programId, string memberId, CancellationToken cancellationToken);
}
