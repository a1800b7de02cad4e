using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Privacy;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>GDPR: export and erasure (admin, or the member for themself) and the audit trail (admin).</summary>
public static class PrivacyEndpoints
{
    public const string ExportHeader = "X-Export-Location";
    public const string SelfErasureActor = "member";
    public const string SelfErasureReason = "The member's own request (POST /me/erasure).";

    /// <summary>
    /// The whole document as the answer, and a copy in Blob storage (where: <see cref="ExportHeader"/>). A member token
    /// for another member is answered 404, as a member that does not exist would be.
    /// </summary>
    public static Task<IResult> Export(HttpContext context, string memberId) =>
        Handler.InProgram(context, Scope.Admin, (caller, program, ct) =>
            caller.MemberId is { } self && self != memberId ? Task.FromResult(Handler.UnknownId("member", memberId))
                : ExportAs(context, caller, program, memberId, ct),
            members: true);

    /// <summary>The member's own export (My pages' "download my data"): the member is the token's.</summary>
    public static Task<IResult> ExportMine(HttpContext context) =>
        Handler.AsMember(context, (caller, program, memberId, ct) => ExportAs(context, caller, program, memberId, ct));

    private static async Task<IResult> ExportAs(HttpContext context, ApiCaller caller, LoadedProgram program, string memberId, CancellationToken ct)
    {
        if (!Handler.TryAuditReason(context, out var reason, out var problem)) return problem!;
        var exported = await context.Service<IPrivacyService>().ExportAsync(program, memberId, caller.KeyId, reason, ct);
        return Outcomes.From(exported, document => Results.Bytes(document.Content, "application/json", $"member-{memberId}.json")
            .WithHeader(ExportHeader, document.Location));
    }

    public static Task<IResult> Erase(HttpContext context, string memberId) =>
        Handler.InProgram<ErasureRequest>(context, Scope.Admin, async (caller, program, request, ct) =>
            Outcomes.Ok(await context.Service<IPrivacyService>().EraseAsync(program, memberId, request.Reason, caller.KeyId, ct)));

    /// <summary>
    /// The member's own erasure (My pages' "delete my membership"): the same erasure as an admin's, recorded with the
    /// actor "member". The member gives no case number, so the reason says where the request came from. It cannot be
    /// undone, so a stray or replayed request without <c>"confirm": true</c> erases nothing.
    /// </summary>
    public static Task<IResult> EraseMine(HttpContext context) =>
        Handler.AsMember<SelfErasure>(context, async (_, program, memberId, request, ct) =>
            request.Confirm is not true
                ? Problems.Field("confirm", "Send \"confirm\": true to erase your membership; it cannot be undone.")
                : Outcomes.Ok(await context.Service<IPrivacyService>().EraseAsync(program, memberId, SelfErasureReason, SelfErasureActor, ct)));

    /// <summary>One member's trail (<c>?memberId=</c>, required), newest first, paged.</summary>
    public static Task<IResult> ListAudit(HttpContext context) =>
        Handler.InProgram(context, Scope.Admin, async (_, program, ct) =>
            !Handler.TryPage(context, out var page, out var problem) ? problem!
            : Outcomes.Ok(await context.Service<IPrivacyService>().ListAuditAsync(program, context.Request.Query["memberId"].ToString(), page, ct)));
}

/// <param name="Reason">Why, e.g. the reference of the member's request; recorded with the erasure (names, phone numbers and the like are taken out).</param>
public sealed record ErasureRequest(string Reason);

/// <param name="Confirm">True: the member has read what erasure keeps and removes, and wants it.</param>
public sealed record SelfErasure(bool? Confirm);
