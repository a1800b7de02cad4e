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
