using Loyalty.Core.Access;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

public sealed class ApiKeyService(IApiKeyStore store, Continuations continuations, TimeProvider time) : IApiKeyService
{
    /// <summary>
    /// How stale "last used" may be. A look-up that finds an older value writes the new one, so a busy key costs at most
    /// one write per hour per host instance, never one per request (and hosts cache successful look-ups besides).
    /// </summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromHours(1);

    private const Scope AnyScope = Scope.Pos | Scope.Store | Scope.Marketing | Scope.Admin;

    public async Task<Result<IssuedApiKey>> CreateAsync(
        LoadedProgram program, string name, Scope scopes, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new ErrorList();
        Names.Check(errors, name, "name");
        if (scopes == Scope.None || (scopes & ~AnyScope) != 0)
            errors.Add(ErrorCodes.OutOfRange, "scopes", "Give one or more of pos, store, marketing and admin.");
        if (expiresAt <= now)
            errors.Add(ErrorCodes.OutOfRange, "expiresAt", "expiresAt is in the future (or left out for a key that does not expire).");
        if (errors.Any) return Result<IssuedApiKey>.Fail(errors.Items);

        var programId = program.Settings.ProgramId;
        var key = ApiKeySecret.Generate();
        var record = new ApiKeyRecord(key.KeyId, programId, Texts.Trim(name), scopes, key.Hash(), now, expiresAt);
        await store.InsertAsync(record, cancellationToken);
        return new IssuedApiKey(key.KeyId, programId, record.Name, scopes, key.Value) { CreatedAt = now, ExpiresAt = expiresAt };
    }

    public async Task<ApiCaller?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParse(presentedKey, out var key)) return null;
        var stored = await store.GetAsync(key.KeyId, cancellationToken);
        var now = time.GetUtcNow();
        if (stored is null || Status(stored, now) != ApiKeyStatus.Active || !key.Matches(stored.Hash)) return null;
        if (stored.LastUsedAt is not { } last || now - last >= LastUsedPrecision)
            await store.RecordUseAsync(stored.KeyId, now, cancellationToken);
        return new ApiCaller(stored.KeyId, stored.ProgramId, stored.Scopes);
    }

    public async Task<Result<Page<ApiKeyInfo>>> ListAsync(string programId, PageRequest page, CancellationToken cancellationToken)
    {
        var listing = $"{programId}|keys";
        if (continuations.Check(page, listing, out var after) is { Count: > 0 } mistakes) return Result<Page<ApiKeyInfo>>.Fail(mistakes);
        var now = time.GetUtcNow();
        var found = await store.ListAsync(programId, page.PageSize, after, cancellationToken);
        return continuations.Page(new CursorPage<ApiKeyInfo>([.. found.Items.Select(k => Info(k, now))], found.Next), listing);
    }

    public async Task<Result<ApiKeyInfo>> GetAsync(string programId, string keyId, CancellationToken cancellationToken) =>
        await FindAsync(programId, keyId, cancellationToken) is { } stored
            ? Info(stored, time.GetUtcNow())
            : KeyNotFound(keyId);

    public async Task<Result<ApiKeyInfo>> RevokeAsync(string programId, string keyId, CancellationToken cancellationToken)
    {
        if (await FindAsync(programId, keyId, cancellationToken) is not { } stored) return KeyNotFound(keyId);
        var now = time.GetUtcNow();
        if (stored.RevokedAt is not null) return Info(stored, now);
        await store.RevokeAsync(keyId, now, cancellationToken);
        return Info(stored with { RevokedAt = now }, now);
    }

    /// <summary>Another program's key is answered as one that does not exist, so key ids reveal nothing across programs.</summary>
    private async Task<ApiKeyRecord?> FindAsync(string programId, string keyId, CancellationToken cancellationToken) =>
        ApiKeySecret.IsKeyId(keyId) && await store.GetAsync(keyId, cancellationToken) is { } stored && stored.ProgramId == programId
            ? stored
            : null;

    private static Result<ApiKeyInfo> KeyNotFound(string keyId) =>
        Result<ApiKeyInfo>.Fail(ApplicationErrors.KeyNotFound, "",
            ApiKeySecret.IsKeyId(keyId) ? $"There is no API key '{keyId}' in this program." : "There is no such API key in this program.");

    private static ApiKeyStatus Status(ApiKeyRecord key, DateTimeOffset now) =>
        key.RevokedAt is not null ? ApiKeyStatus.Revoked
        : key.ExpiresAt <= now ? ApiKeyStatus.Expired
        : ApiKeyStatus.Active;

    private static ApiKeyInfo Info(ApiKeyRecord key, DateTimeOffset now) =>
        new(key.KeyId, key.Name, [.. key.Scopes.Names()], key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.LastUsedAt, Status(key, now));
}
