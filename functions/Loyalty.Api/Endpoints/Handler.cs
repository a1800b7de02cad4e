using Loyalty.Api.Auth;
using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Api.Endpoints;

/// <summary>The steps every handler shares: authenticate for a scope, read and check the body, check ids from the path.</summary>
internal static class Handler
{
    public const string AuditReasonHeader = "X-Audit-Reason";
    private const int MaxAuditReasonLength = 200;

    /// <param name="members">Whether a member token may call too (the handler then checks the member id it names).</param>
    public static async Task<IResult> Authorized(
        HttpContext context, Scope scope, Func<ApiCaller, CancellationToken, Task<IResult>> action, bool members = false)
    {
        var auth = context.RequestServices.GetRequiredService<ApiKeyAuthentication>();
        var (caller, denied) = await auth.AuthenticateAsync(context, scope, members);
        return denied ?? await action(caller!, context.RequestAborted);
    }

    public static Task<IResult> Authorized<TBody>(HttpContext context, Scope scope, Func<ApiCaller, TBody, CancellationToken, Task<IResult>> action)
        where TBody : class =>
        Authorized(context, scope, (caller, cancellationToken) => WithBody<TBody>(context, body => action(caller, body, cancellationToken), cancellationToken));

    /// <summary><see cref="Authorized"/>, then the caller's program, resolved once for the request and handed to the action.</summary>
    public static Task<IResult> InProgram(HttpContext context, Scope scope, Func<ApiCaller, LoadedProgram, CancellationToken, Task<IResult>> action,
        bool members = false) =>
        Authorized(context, scope, (caller, cancellationToken) => InProgram(context, caller.ProgramId, program => action(caller, program, cancellationToken)),
            members);

    public static Task<IResult> InProgram<TBody>(HttpContext context, Scope scope,
        Func<ApiCaller, LoadedProgram, TBody, CancellationToken, Task<IResult>> action) where TBody : class =>
        Authorized<TBody>(context, scope, (caller, body, cancellationToken) =>
            InProgram(context, caller.ProgramId, program => action(caller, program, body, cancellationToken)));

    /// <summary>For the member's own endpoints (/me…): a member token only; the member id comes from it, never from the request.</summary>
    public static async Task<IResult> AsMember(HttpContext context, Func<ApiCaller, LoadedProgram, string, CancellationToken, Task<IResult>> action)
    {
        var (caller, denied) = await context.RequestServices.GetRequiredService<ApiKeyAuthentication>().AuthenticateMemberAsync(context);
        return denied ?? await InProgram(context, caller!.ProgramId, program => action(caller, program, caller.MemberId!, context.RequestAborted));
    }

    public static Task<IResult> AsMember<TBody>(HttpContext context, Func<ApiCaller, LoadedProgram, string, TBody, CancellationToken, Task<IResult>> action)
        where TBody : class =>
        AsMember(context, (caller, program, memberId, cancellationToken) =>
            WithBody<TBody>(context, body => action(caller, program, memberId, body, cancellationToken), cancellationToken));

    /// <summary>Key-less routes of the deployment's My pages: the program is configured for the host, never taken from the request.</summary>
    public static Task<IResult> ForMemberPages<TBody>(HttpContext context, Func<LoadedProgram, TBody, CancellationToken, Task<IResult>> action)
        where TBody : class =>
        context.Service<MemberPages>().ProgramId is { } programId
            ? WithBody<TBody>(context, body => InProgram(context, programId, program => action(program, body, context.RequestAborted)), context.RequestAborted)
            : Task.FromResult(Problems.NotFound("This deployment signs no members in without a key: MemberAuth:PagesProgramId is not set."));

    /// <summary>
    /// A read of a member's personal data: when an admin key reads it, the read is recorded in the audit trail (who,
    /// what, why from <see cref="AuditReasonHeader"/>) before the data leaves; no record, no data.
    /// </summary>
    public static async Task<IResult> AuditedRead<T>(
        HttpContext context, ApiCaller caller, string action, Func<Task<Result<T>>> read, Func<T, string> memberOf)
    {
        if (!TryAuditReason(context, out var reason, out var problem)) return problem!;
        var result = await read();
        if (result.IsValid && (caller.Scopes & Scope.Admin) != 0)
            await context.Service<IPrivacyService>().RecordReadAsync(
                caller.ProgramId, memberOf(result.Value), caller.KeyId, action, reason, context.RequestAborted);
        return Outcomes.Ok(result);
    }

    /// <summary>The optional <see cref="AuditReasonHeader"/>: a case number or a short why, not personal data.</summary>
    public static bool TryAuditReason(HttpContext context, out string? reason, out IResult? problem)
    {
        reason = context.Request.Headers[AuditReasonHeader].ToString().Trim() is { Length: > 0 } given ? given : null;
        problem = reason is { Length: > MaxAuditReasonLength } || reason?.Any(char.IsControl) == true
            ? Problems.Field(AuditReasonHeader, $"{AuditReasonHeader} is at most {MaxAuditReasonLength} characters without control characters.")
            : null;
        return problem is null;
    }

    /// <summary>The one place a request's program is resolved: an unknown one is the 404 problem program.not_found.</summary>
    private static async Task<IResult> InProgram(HttpContext context, string programId, Func<LoadedProgram, Task<IResult>> action)
    {
        var program = await context.Service<ProgramCache>().ResolveAsync(programId, context.RequestAborted);
        return program.IsValid ? await action(program.Value) : Outcomes.Problem(program.Errors);
    }

    private static async Task<IResult> WithBody<TBody>(HttpContext context, Func<TBody, Task<IResult>> action, CancellationToken cancellationToken)
        where TBody : class
    {
        var body = await JsonBody.ReadAsync<TBody>(context.Request, cancellationToken);
        return body.Problem ?? await action(body.Value!);
    }

    public static T Service<T>(this HttpContext context) where T : notnull => context.RequestServices.GetRequiredService<T>();

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
