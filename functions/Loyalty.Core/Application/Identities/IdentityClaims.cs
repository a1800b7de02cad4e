using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application.Identities;

/// <summary>
/// Claims and releases identities. Enrolment claims first and writes the member second, so a crash in between leaves
/// a claim pointing at no member; such an orphan is taken over once it is older than <see cref="OrphanAfter"/>.
/// The wait matters: a claim younger than that may belong to an enrolment still writing its member.
/// </summary>
public sealed class IdentityClaims(IIdentityStore store, IMemberStore members, TimeProvider time)
{
    public static readonly TimeSpan OrphanAfter = TimeSpan.FromMinutes(2);

    /// <returns>The claim, or null when another member holds the identity.</returns>
    public async Task<IdentityClaim?> ClaimAsync(IdentityKey key, LoadedProgram program, string memberId, CancellationToken cancellationToken)
    {
        // A few rounds cover a claim released or reassigned between our insert and our read.
        for (var round = 0; round < 3; round++)
        {
            var now = time.GetUtcNow();
            if (await store.TryInsertAsync(key, memberId, now, cancellationToken) is { } claim) return claim;
            if (await store.GetAsync(key, cancellationToken) is not { } current) continue;
            if (current.MemberId == memberId) return current;
            if (now - current.ClaimedAt < OrphanAfter) return null;
            if (await members.GetAsync(program.Member(current.MemberId), cancellationToken) is not null) return null;
            if (await store.TryReassignAsync(key, current, memberId, now, cancellationToken) is { } taken) return taken;
        }
        return null;
    }

    /// <summary>Releases what this member holds; a claim that moved on to someone else is left alone.</summary>
    public async Task ReleaseAsync(IdentityKey key, string memberId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(key, cancellationToken) is { } current && current.MemberId == memberId)
            await store.DeleteAsync(key, current, cancellationToken);
    }

    public Task ReleaseAllAsync(IEnumerable<IdentityKey> keys, string memberId, CancellationToken cancellationToken) =>
        Task.WhenAll(keys.Select(k => ReleaseAsync(k, memberId, cancellationToken)));

    /// <summary>The member an identity points at, if any.</summary>
    public async Task<string?> FindAsync(IdentityKey key, CancellationToken cancellationToken) =>
        (await store.GetAsync(key, cancellationToken))?.MemberId;
}
