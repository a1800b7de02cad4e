using Loyalty.Api.Http;
using Loyalty.Core.Application;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>
/// The member's own endpoints (/me…), with a member token only. The member is the token's; no member id is taken from
/// the request, so one member can never name another.
/// </summary>
public static class SelfServiceEndpoints
{
    public static Task<IResult> Get(HttpContext context) =>
        Handler.AsMember(context, async (caller, memberId, ct) =>
            Outcomes.Ok(await context.Service<IMemberService>().GetAsync(caller.ProgramId, memberId, ct).ConfigureAwait(false)));

    /// <summary>Every channel's receipts (store and online), newest first, paged as the till's listing.</summary>
    public static Task<IResult> ListReceipts(HttpContext context) =>
        Handler.AsMember(context, async (caller, memberId, ct) =>
            !Handler.TryPage(context, out var page, out var problem) ? problem!
            : Outcomes.Ok(await context.Service<IMemberService>().ListReceiptsAsync(caller.ProgramId, memberId, page, ct).ConfigureAwait(false)));

    public static Task<IResult> ListOffers(HttpContext context) =>
        Handler.AsMember(context, async (caller, memberId, ct) =>
            Outcomes.Ok(await context.Service<ISelfService>().OffersAsync(caller.ProgramId, memberId, ct).ConfigureAwait(false)));

    /// <summary>Contact details, interests and consents; each consent change is recorded with source "member".</summary>
    public static Task<IResult> Update(HttpContext context) =>
        Handler.AsMember<UpdateContact>(context, async (caller, memberId, request, ct) =>
            Outcomes.Ok(await context.Service<IMemberService>().UpdateContactAsync(caller.ProgramId, memberId, request, "member", ct).ConfigureAwait(false)));

    public static Task<IResult> ChooseVoucher(HttpContext context) =>
        Handler.AsMember<VoucherChoice>(context, async (caller, memberId, request, ct) =>
            Outcomes.Ok(await context.Service<ISelfService>().ChooseVoucherAsync(caller.ProgramId, memberId, request.RequestId, request.Value, ct).ConfigureAwait(false)));
}
