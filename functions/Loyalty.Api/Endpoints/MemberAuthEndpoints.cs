using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>
/// Passwordless verification, called by the app or web shop with its own key (pos or store; the program is the key's),
/// or by the deployment's My pages without one (the program is the host's): a one-time code to the member's phone or e-mail, then the code (or the e-mail's
/// magic link) for a member token.
/// </summary>
public static class MemberAuthEndpoints
{
    private const Scope Apps = Scope.Pos | Scope.Store;

    /// <summary>Always 202 with the same body, enrolled or not: the answer must not tell who is a member.</summary>
    public static Task<IResult> RequestCode(HttpContext context) =>
        Handler.InProgram<CodeRequest>(context, Apps, (_, program, request, ct) => SendCode(context, program, request, ct));

    public static Task<IResult> IssueToken(HttpContext context) =>
        Handler.InProgram<TokenRequest>(context, Apps, (_, program, request, ct) => Token(context, program, request, ct));

    /// <summary>
    /// My pages' sign-in: no key, so the program is the deployment's (<see cref="MemberPages"/>); the same answer, and
    /// the same limits per address and per identifier, as with a key.
    /// </summary>
    public static Task<IResult> RequestPagesCode(HttpContext context) =>
        Handler.ForMemberPages<CodeRequest>(context, (program, request, ct) => SendCode(context, program, request, ct));

    public static Task<IResult> IssuePagesToken(HttpContext context) =>
        Handler.ForMemberPages<TokenRequest>(context, (program, request, ct) => Token(context, program, request, ct));

    private static async Task<IResult> SendCode(HttpContext context, LoadedProgram program, CodeRequest request, CancellationToken ct) =>
        Answer(context, await context.Service<IMemberAuthService>().RequestCodeAsync(program, request, context.Service<ClientAddresses>().Of(context), ct),
            sent => Results.Json(sent, JsonBody.Options, statusCode: StatusCodes.Status202Accepted));

    private static async Task<IResult> Token(HttpContext context, LoadedProgram program, TokenRequest request, CancellationToken ct) =>
        Answer(context, await context.Service<IMemberAuthService>().IssueTokenAsync(program, request, context.Service<ClientAddresses>().Of(context), ct),
            token => Results.Json(token, JsonBody.Options));

    /// <summary>A rate limit is a 429 with Retry-After: the end of the current window.</summary>
    internal static IResult Answer<T>(HttpContext context, Result<T> result, Func<T, IResult> onSuccess)
    {
        if (result.IsValid || result.Errors.All(e => e.Kind != ErrorKind.RateLimited)) return Outcomes.From(result, onSuccess);
        var now = context.Service<TimeProvider>().GetUtcNow();
        return Outcomes.TooManyRequests(result.Errors, MemberAuthOptions.WindowEnd(now) - now);
    }
}
