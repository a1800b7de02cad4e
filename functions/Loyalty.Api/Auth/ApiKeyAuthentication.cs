using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Auth;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header inside each handler rather than in ASP.NET middleware, because the
/// Azure Functions host does not run our middleware: both hosts must refuse the same requests the same way.
/// Successful look-ups are cached briefly, so a till lookup costs one storage read, not two; a revoked key
/// keeps working for at most <see cref="CacheFor"/>.
/// </summary>
public sealed class ApiKeyAuthentication(IApiKeyService keys, TimeProvider time)
{
    public const string Header = "X-Api-Key";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, (ApiCaller Caller, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);

    /// <summary>The caller, or the 401/403 problem to return.</summary>
    public async Task<(ApiCaller? Caller, IResult? Problem)> AuthenticateAsync(HttpContext context, Scope required)
    {
        var presented = context.Request.Headers[Header].ToString();
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
            caller = await keys.AuthenticateAsync(presented, context.RequestAborted).ConfigureAwait(false);
            if (caller is null)
                return (null, Problems.Unauthenticated("The API key is not valid."));
            if (cache.Count >= MaxCached) cache.Clear();
            cache[cacheKey] = (caller, now + CacheFor);
        }

        return caller.Scopes.Allows(required)
            ? (caller, null)
            : (null, Problems.Forbidden($"This key's scopes ({string.Join(", ", caller.Scopes.Names())}) do not include {string.Join(" or ", required.Names())}."));
    }
}
