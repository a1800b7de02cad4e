using Loyalty.Core.Access;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

public interface IApiKeyService
{
    /// <summary>Creates a key; its secret is in the result and nowhere else, ever.</summary>
    /// <param name="expiresAt">When the key stops working; null for never.</param>
    Task<Result<IssuedApiKey>> CreateAsync(LoadedProgram program, string name, Scope scopes, DateTimeOffset? expiresAt, CancellationToken cancellationToken);

    /// <summary>A key that does not expire.</summary>
    Task<Result<IssuedApiKey>> CreateAsync(LoadedProgram program, string name, Scope scopes, CancellationToken cancellationToken) =>
        CreateAsync(program, name, scopes, expiresAt: null, cancellationToken);

    /// <summary>The caller behind a presented key, or null for a malformed, unknown, expired or revoked key.</summary>
    Task<ApiCaller?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken);

    /// <summary>The program's keys, revoked and expired ones included, in key-id order; never a secret.</summary>
    Task<Result<Page<ApiKeyInfo>>> ListAsync(string programId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>One key of the program; another program's key is <see cref="ApplicationErrors.KeyNotFound"/>.</summary>
    Task<Result<ApiKeyInfo>> GetAsync(string programId, string keyId, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a key of the program for good (revoking again changes nothing). Hosts cache successful look-ups, so a
    /// revoked key may still be accepted for that cache's lifetime.
    /// </summary>
    Task<Result<ApiKeyInfo>> RevokeAsync(string programId, string keyId, CancellationToken cancellationToken);
}
