using Loyalty.Core.Members;

namespace Loyalty.Core.Application.Ports;

/// <param name="ConcurrencyToken">
/// Opaque version of the member (for the table store: the profile's ETag and the date the member is filed under for
/// review); pass it back to <see cref="IMemberStore.CommitAsync"/>.
/// </param>
public sealed record StoredMember(MemberProfile Profile, MemberState State, MemberActivity Activity, string ConcurrencyToken)
{
    /// <summary>The date the member is filed under in the review index (<see cref="MemberWrite.ReviewOn"/> of its last write).</summary>
    public DateOnly? ReviewOn { get; init; }
}
