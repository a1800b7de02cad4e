namespace Loyalty.Core.Application.Ports;

/// <summary>
/// The unique identities of a program's members (card, phone, e-mail, web-shop id), each pointing at one member.
/// Uniqueness comes from the store: claiming is an insert that fails when the identity exists.
/// </summary>
public interface IIdentityStore
{
    /// <returns>The new claim, or null when the identity is claimed already (by anyone, this member included).</returns>
    Task<IdentityClaim?> TryInsertAsync(IdentityKey key, string memberId, DateTimeOffset claimedAt, CancellationToken cancellationToken);

    Task<IdentityClaim?> GetAsync(IdentityKey key, CancellationToken cancellationToken);

    /// <summary>Points a claim at another member if it is still the version read (<see cref="IdentityClaim.Token"/>).</summary>
    /// <returns>The new claim, or null when the claim changed or vanished meanwhile.</returns>
    Task<IdentityClaim?> TryReassignAsync(
        IdentityKey key, IdentityClaim current, string memberId, DateTimeOffset claimedAt, CancellationToken cancellationToken);

    /// <summary>Deletes the claim if it is still this version; a claim that changed or vanished is left alone.</summary>
    Task DeleteAsync(IdentityKey key, IdentityClaim current, CancellationToken cancellationToken);
}

public enum IdentityKind
{
    Card,
    Phone,
    Email,
    External,

    /// <summary>
    /// Not a member's identifier, and never claimed: parked receipts only, where it keys returns waiting for the
    /// purchase with this receipt id (their member is known; their purchase is not on the account yet).
    /// </summary>
    Purchase,
}

/// <summary>An identity in normalised form (E.164 phone, lower-case e-mail, upper-case card number).</summary>
public sealed record IdentityKey(string ProgramId, IdentityKind Kind, string Value);

/// <param name="Token">Opaque version of the claim, for conditional changes.</param>
public sealed record IdentityClaim(string MemberId, DateTimeOffset ClaimedAt, string Token);
