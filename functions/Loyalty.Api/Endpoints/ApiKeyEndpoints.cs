using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>
/// The API keys of the calling key's program (scope admin): list, create, read, revoke. A secret is answered once, by
/// the create; nothing else ever shows one. Another program's key id is 404, like one that does not exist.
/// </summary>
public static class ApiKeyEndpoints
{
    public static Task<IResult> List(HttpContext context) =>
        Handler.Authorized(context, Scope.Admin, async (caller, ct) =>
            !Handler.TryPage(context, out var page, out var problem) ? problem!
            : Outcomes.Ok(await context.Service<IApiKeyService>().ListAsync(caller.ProgramId, page, ct)));

    public static Task<IResult> Create(HttpContext context) =>
        Handler.InProgram<NewApiKey>(context, Scope.Admin, async (_, program, request, ct) =>
        {
            // No scope at all is the service's to refuse, together with any other mistake; only a misspelt one is refused here.
            if (!Scopes.TryParse(request.Scopes ?? [], out var scopes, out var unknown) && unknown is not null)
                return Problems.Field("scopes", $"Unknown scope '{unknown}'; use pos, store, marketing or admin.");
            var created = await context.Service<IApiKeyService>().CreateAsync(program, request.Name ?? "", scopes, request.ExpiresAt, ct);
            return Outcomes.Created(created.IsValid ? CreatedApiKey.From(created.Value) : Core.Validation.Result<CreatedApiKey>.Fail(created.Errors),
                key => Outcomes.Location("keys", key.KeyId));
        });

    public static Task<IResult> Get(HttpContext context, string keyId) =>
        Handler.Authorized(context, Scope.Admin, async (caller, ct) =>
            Outcomes.Ok(await context.Service<IApiKeyService>().GetAsync(caller.ProgramId, keyId, ct)));

    /// <summary>For good; hosts cache successful key look-ups, so the key may work for up to 30 s more.</summary>
    public static Task<IResult> Revoke(HttpContext context, string keyId) =>
        Handler.Authorized(context, Scope.Admin, async (caller, ct) =>
            Outcomes.Ok(await context.Service<IApiKeyService>().RevokeAsync(caller.ProgramId, keyId, ct)));
}

public sealed record NewApiKey
{
    public string? Name { get; init; }

    /// <summary>One or more of pos, store, marketing, admin.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>When the key stops working; left out, it works until revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <param name="Secret">The key to send in X-Api-Key: shown here once and never again (only its hash is stored).</param>
public sealed record CreatedApiKey(string KeyId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Secret)
{
    public static CreatedApiKey From(IssuedApiKey key) => new(key.KeyId, key.Name, [.. key.Scopes.Names()], key.CreatedAt, key.ExpiresAt, key.Secret);
}
