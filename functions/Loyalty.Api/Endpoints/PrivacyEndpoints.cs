using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Privacy;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>GDPR: export (admin, or the member for themself), erasure (admin) and the audit trail (admin).</summary>
public static class PrivacyEndpoints
{
    public const string ExportHeader = "X-Export-Location";

    /// <summary>
    /// The whole document as the answer, and a copy in Blob storage (where: <see cref="ExportHeader"/>). A member token
    /// for another member is answered 404, as a member that does not exist would be.
    /// </summary>
    public static Task<IResult> Export(HttpContext context, string memberId) =>
        Handler.Authorized(context, Scope.Admin, async (caller, ct) =>
        {
            if (caller.MemberId is { } self && self != memberId) return Handler.UnknownId("member", memberId);
            if (!Handler.TryAuditReason(context, out var reason, out var problem)) return problem!;
            var exported = await context.Service<IPrivacyService>().ExportAsync(caller.ProgramId, memberId, caller.KeyId, reason, ct).ConfigureAwait(false);
            return Outcomes.From(exported, document => Results.Bytes(document.Content, "application/json", $"member-{memberId}.json")
                .WithHeader(ExportHeader, document.Location));
        }, members: true);

    public static Task<IResult> Erase(HttpContext context, string memberId) =>
        Handler.Authorized<ErasureRequest>(context, Scope.Admin, async (caller, request, ct) =>
            Outcomes.Ok(await context.Service<IPrivacyService>().EraseAsync(caller.ProgramId, memberId, request.Reason, caller.KeyId, ct).ConfigureAwait(false)));

    /// <summary>One member's trail (<c>?memberId=</c>, required), newest first, paged.</summary>
    public static Task<IResult> ListAudit(HttpContext context) =>
        Handler.Authorized(context, Scope.Admin, async (caller, ct) =>
            !Handler.TryPage(context, out var page, out var problem) ? problem!
            : Outcomes.Ok(await context.Service<IPrivacyService>().ListAuditAsync(caller.ProgramId, context.Request.Query["memberId"].ToString(), page, ct).ConfigureAwait(false)));
}

/// <param name="Reason">Why, e.g. the reference of the member's request; recorded with the erasure (names, phone numbers and the like are taken out).</param>
public sealed record ErasureRequest(string Reason);
