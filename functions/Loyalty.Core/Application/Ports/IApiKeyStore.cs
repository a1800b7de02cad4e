using Loyalty.Core.Access;

namespace Loyalty.Core.Application.Ports;

public interface IApiKeyStore
{
    /// <summary>Stores the key and files it under its program, so that every key that can authenticate is also listed.</summary>
    /// <exception cref="InvalidOperationException">The key id exists already (80 random bits: a broken random source).</exception>
    Task InsertAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> GetAsync(string keyId, CancellationToken cancellationToken);

    /// <summary>The program's keys in key-id order, after the key id <paramref name="after"/>; reads no other program's keys.</summary>
    Task<CursorPage<ApiKeyRecord>> ListAsync(string programId, int pageSize, string? after, CancellationToken cancellationToken);

    /// <summary>Marks the key revoked at <paramref name="at"/>; a key revoked before keeps its first time.</summary>
    Task RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Best effort: records when the key was last used; a failure is swallowed, since a use must not fail for it.</summary>
    Task RecordUseAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>A stored API key: only the SHA-256 of its secret (<see cref="ApiKeySecret.Hash"/>), never the secret.</summary>
/// <param name="LastUsedAt">When the key was last seen, at most <see cref="ApiKeyService.LastUsedPrecision"/> stale.</param>
public sealed record ApiKeyRecord(
    string KeyId, string ProgramId, string Name, Scope Scopes, string Hash, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null, DateTimeOffset? RevokedAt = null, DateTimeOffset? LastUsedAt = null);
