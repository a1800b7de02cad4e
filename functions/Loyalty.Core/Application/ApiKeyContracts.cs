using Loyalty.Core.Access;

namespace Loyalty.Core.Application;

public sealed record IssuedApiKey(string KeyId, string ProgramId, string Name, Scope Scopes, string Secret)
{
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

public enum ApiKeyStatus { Active, Expired, Revoked }

/// <summary>What an operator may see of a key: everything but its secret (which is not stored) and its hash.</summary>
/// <param name="LastUsedAt">When it last authenticated, up to an hour stale; null if never.</param>
public sealed record ApiKeyInfo(
    string KeyId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, ApiKeyStatus Status);

/// <summary>Who is calling: the program the key is bound to, and what it may do.</summary>
/// <param name="MemberId">Set for a member token (scope member): the one member it may act for; its <see cref="Scopes"/> are none.</param>
public sealed record ApiCaller(string KeyId, string ProgramId, Scope Scopes, string? MemberId = null);
