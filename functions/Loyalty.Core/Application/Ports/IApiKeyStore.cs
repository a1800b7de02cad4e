using Loyalty.Core.Access;

namespace Loyalty.Core.Application.Ports;

public interface IApiKeyStore
{
    /// <exception cref="InvalidOperationException">The key id exists already (80 random bits: a broken random source).</exception>
    Task InsertAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> GetAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>A stored API key: only the SHA-256 of its secret (<see cref="ApiKeySecret.Hash"/>), never the secret.</summary>
public sealed record ApiKeyRecord(string KeyId, string ProgramId, string Name, Scope Scopes, string Hash, DateTimeOffset CreatedAt, bool Revoked);
