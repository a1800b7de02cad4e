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
        Handler.AsMember(context, async (_, program, memberId, ct) =>
            Outcomes.Ok(await context.Service<IMemberService>().GetAsync(program, memberId, ct)));

    /// <summary>Every channel's receipts (store and online), newest first, paged as the till's listing.</summary>
    public static Task<IResult> ListReceipts(HttpContext context) =>
        Handler.AsMember(context, async (_, program, memberId, ct) =>
            !Handler.TryPage(context, out var page, out var problem) ? problem!
            : Outcomes.Ok(await context.Service<IMemberService>().ListReceiptsAsync(program, memberId, page, ct)));

    public static Task<IResult> ListOffers(HttpContext context) =>
        Handler.AsMember(context, async (_, program, memberId, ct) =>
            Outcomes.Ok(await context.Service<ISelfService>().OffersAsync(program, memberId, ct)));

    /// <summary>
    /// Contact details, interests and consents (each consent change recorded with source "member"): 200 when all of it
    /// applied, 202 when a new phone or e-mail waits for the code sent to it (<see cref="ConfirmContact"/>).
    /// </summary>
    public static Task<IResult> Update(HttpContext context) =>
        Handler.AsMember<UpdateContact>(context, async (_, program, memberId, request, ct) =>
            MemberAuthEndpoints.Answer(context,
                await context.Service<ISelfService>().UpdateContactAsync(
                    program, memberId, request, context.Service<ClientAddresses>().Of(context), ct),
                update => Results.Json(update, JsonBody.Options, statusCode: update.Pending.Count > 0
                    ? StatusCodes.Status202Accepted : StatusCodes.Status200OK)));

    /// <summary>The code sent to a new phone or e-mail: only now does it become the member's.</summary>
    public static Task<IResult> ConfirmContact(HttpContext context) =>
        Handler.AsMember<ContactConfirmation>(context, async (_, program, memberId, request, ct) =>
            MemberAuthEndpoints.Answer(context,
                await context.Service<ISelfService>().ConfirmContactAsync(
                    program, memberId, request, context.Service<ClientAddresses>().Of(context), ct),
                member => Results.Json(member, JsonBody.Options)));

    public static Task<IResult> ChooseVoucher(HttpContext context) =>
        Handler.AsMember<VoucherChoice>(context, async (_, program, memberId, request, ct) =>
            Outcomes.Ok(await context.Service<ISelfService>().ChooseVoucherAsync(program, memberId, request.RequestId, request.Value, ct)));
}
