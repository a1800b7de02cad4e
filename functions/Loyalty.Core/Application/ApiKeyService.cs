using Loyalty.Core.Access;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

public sealed class ApiKeyService(IApiKeyStore store, ProgramCache programs, TimeProvider time) : IApiKeyService
{
    public async Task<Result<IssuedApiKey>> CreateAsync(string programId, string name, Scope scopes, CancellationToken cancellationToken)
    {
        var errors = new ErrorList();
        Names.Check(errors, name, "name");
        if (scopes == Scope.None || (scopes & ~(Scope.Pos | Scope.Store | Scope.Marketing | Scope.Admin)) != 0)
            errors.Add(ErrorCodes.OutOfRange, "scopes", "Give one or more of pos, store, marketing and admin.");
        if (errors.Any) return Result<IssuedApiKey>.Fail(errors.Items);
        if (await programs.GetAsync(programId, cancellationToken).ConfigureAwait(false) is null)
            return Refusals.ProgramNotFound<IssuedApiKey>(programId);

        var key = ApiKeySecret.Generate();
        await store.InsertAsync(new ApiKeyRecord(key.KeyId, programId, Texts.Trim(name), scopes, key.Hash(), time.GetUtcNow(), Revoked: false), cancellationToken).ConfigureAwait(false);
        return new IssuedApiKey(key.KeyId, programId, Texts.Trim(name), scopes, key.Value);
    }

    public async Task<ApiCaller?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParse(presentedKey, out var key)) return null;
        var stored = await store.GetAsync(key.KeyId, cancellationToken).ConfigureAwait(false);
        return stored is { Revoked: false } && key.Matches(stored.Hash) ? new ApiCaller(stored.KeyId, stored.ProgramId, stored.Scopes) : null;
    }
}
