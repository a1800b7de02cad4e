using Loyalty.Api.Auth;
using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Api.Endpoints;

/// <summary>The steps every handler shares: authenticate for a scope, read and check the body, check ids from the path.</summary>
internal static class Handler
{
    public static async Task<IResult> Authorized(HttpContext context, Scope scope, Func<ApiCaller, CancellationToken, Task<IResult>> action)
    {
        var auth = context.RequestServices.GetRequiredService<ApiKeyAuthentication>();
        var (caller, denied) = await auth.AuthenticateAsync(context, scope).ConfigureAwait(false);
        return denied ?? await action(caller!, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task<IResult> Authorized<TBody>(HttpContext context, Scope scope, Func<ApiCaller, TBody, CancellationToken, Task<IResult>> action)
        where TBody : class =>
        Authorized(context, scope, async (caller, cancellationToken) =>
        {
            var body = await JsonBody.ReadAsync<TBody>(context.Request, cancellationToken).ConfigureAwait(false);
            return body.Problem ?? await action(caller, body.Value!, cancellationToken).ConfigureAwait(false);
        });

    public static T Service<T>(this HttpContext context) where T : notnull => context.RequestServices.GetRequiredService<T>();

    /// <summary>
    /// Voucher ids arrive in paths; anything outside this alphabet cannot name a voucher, so it is answered as not
    /// found. (Member ids need no such check here: the services answer a malformed one as not found.)
    /// </summary>
    public static bool IsPlausibleId(string? id) =>
        id is { Length: > 0 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.');

    public static IResult UnknownId(string what, string id) =>
        Problems.NotFound($"There is no {what} '{Truncate(id)}'.");

    public static bool TryPage(HttpContext context, out PageRequest page, out IResult? problem)
    {
        page = new PageRequest();
        problem = null;
        var query = context.Request.Query;
        var size = page.PageSize;
        // Only the parsing is HTTP's; the range is the service's rule.
        if (query.TryGetValue("pageSize", out var raw) && !int.TryParse(raw, out size))
        {
            problem = Problems.Field("pageSize", $"pageSize must be a whole number from 1 to {PageRequest.MaxPageSize}.");
            return false;
        }
        page = new PageRequest(size, query.TryGetValue("continuation", out var token) ? token.ToString() : null);
        return true;
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
