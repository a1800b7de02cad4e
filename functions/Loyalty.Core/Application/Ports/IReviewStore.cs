namespace Loyalty.Core.Application.Ports;

/// <summary>
/// The review index: every member is filed under the date the nightly job next needs it (<see cref="MemberWrite.ReviewOn"/>),
/// moved in the same atomic write as the member itself, so the job reads only the members due.
/// </summary>
public interface IReviewStore
{
    /// <summary>The members of one shard filed for review on or before <paramref name="date"/>, earliest date first.</summary>
    Task<IReadOnlyList<FiledMember>> ListDueAsync(string programId, int shard, DateOnly date, CancellationToken cancellationToken);

    /// <summary>Removes an index entry whose member no longer exists; removing one that is gone already is fine.</summary>
    Task RemoveAsync(string programId, int shard, FiledMember entry, CancellationToken cancellationToken);
}

/// <summary>An entry of the review index: the member and the date it is filed under.</summary>
public sealed record FiledMember(string MemberId, DateOnly ReviewOn);
