using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Application.MemberAuth;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Auth;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header, or a member token (<c>Authorization: Bearer …</c>), inside each handler
/// rather than in ASP.NET middleware, because the Azure Functions host does not run our middleware: both hosts must
/// refuse the same requests the same way. Successful key look-ups are cached briefly, so a till lookup costs one
/// storage read, not two; a revoked key keeps working for at most <see cref="CacheFor"/>. A member token needs no
/// key look-up (it is signed), only a read of its member, so an erased member's token stops working; it grants no
/// scope: it reaches only the endpoints that take members.
/// </summary>
public sealed class ApiKeyAuthentication(IApiKeyService keys, IMemberAuthService memberTokens, TimeProvider time)
{
    public const string Header = "X-Api-Key";
    private const string BearerPrefix = "Bearer ";
    private const string InvalidToken = "The member token is not valid or has expired; verify again (POST /api/v1/member-auth/codes).";
    private const string GoneMember = "The token's member no longer exists.";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, (ApiCaller Caller, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);

    /// <summary>The caller, or the 401/403 problem to return.</summary>
    /// <param name="members">Whether a member token may call (for its own member only; the handler checks the id).
    /// Where it may, a token wins over a key sent alongside; elsewhere the key counts and a token alone is refused.</param>
    public async Task<(ApiCaller? Caller, IResult? Problem)> AuthenticateAsync(HttpContext context, Scope required, bool members = false)
    {
        var presented = context.Request.Headers[Header].ToString();
        if (BearerToken(context) is { } token && (members || presented.Length == 0))
        {
            if (memberTokens.Authenticate(token) is not { } member)
                return (null, Problems.Unauthenticated(InvalidToken));
            if (!members) return (null, Problems.Forbidden("A member token reaches only the member's own endpoints (/api/v1/me…)."));
            return await memberTokens.IsCurrentAsync(member, context.RequestAborted) ? (member, null) : (null, Problems.NotFound(GoneMember));
        }
        if (presented.Length == 0)
            return (null, Problems.Unauthenticated($"Send your API key in the {Header} header."));

        var cacheKey = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
        var now = time.GetUtcNow();
        ApiCaller? caller;
        if (cache.TryGetValue(cacheKey, out var hit) && hit.Until > now)
        {
            caller = hit.Caller;
        }
        else
        {
            caller = await keys.AuthenticateAsync(presented, context.RequestAborted);
            if (caller is null)
                return (null, Problems.Unauthenticated("The API key is not valid."));
            if (cache.Count >= MaxCached) cache.Clear();
            cache[cacheKey] = (caller, now + CacheFor);
        }

        return caller.Scopes.Allows(required)
            ? (caller, null)
            : (null, Problems.Forbidden($"This key's scopes ({string.Join(", ", caller.Scopes.Names())}) do not include " +
                $"{string.Join(" or ", required.Names())}."));
    }

    /// <summary>
    /// The member behind a member token, or the 401/403 to return: these endpoints take members, not keys. An erased
    /// member's token is answered 404, as its member is to everyone else.
    /// </summary>
    public async Task<(ApiCaller? Caller, IResult? Problem)> AuthenticateMemberAsync(HttpContext context)
    {
        var detail = "Send the member's token as Authorization: Bearer … (POST /api/v1/member-auth/tokens issues it).";
        if (BearerToken(context) is not { } token)
            return (null, context.Request.Headers[Header].Count > 0
                ? Problems.Forbidden("An API key cannot act as a member. " + detail) : Problems.Unauthenticated(detail));
        if (memberTokens.Authenticate(token) is not { } member) return (null, Problems.Unauthenticated(InvalidToken));
        return await memberTokens.IsCurrentAsync(member, context.RequestAborted) ? (member, null) : (null, Problems.NotFound(GoneMember));
    }

    private static string? BearerToken(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { } value && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            && value.Length > BearerPrefix.Length
            ? value[BearerPrefix.Length..].Trim()
            : null;
}
