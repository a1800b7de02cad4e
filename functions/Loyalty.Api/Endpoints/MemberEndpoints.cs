using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>Members: enrol, identify at the till, read, update, household, history, vouchers.</summary>
public static class MemberEndpoints
{
    private const Scope Till = Scope.Pos | Scope.Store;

    /// <summary>Households are store business (docs/api.md): a pos key may enrol, but not into someone's household.</summary>
    public static Task<IResult> Enrol(HttpContext context) =>
        Handler.InProgram<EnrolMember>(context, Till, async (caller, program, request, ct) =>
            request.HouseholdOf is not null && !caller.Scopes.Allows(Scope.Store)
                ? Problems.Forbidden("Joining a household needs a store key; enrol without householdOf, or ask store staff.")
                : Outcomes.Created(await context.Service<IMemberService>().EnrolAsync(program, request, ct),
                member => Outcomes.Location("members", member.Profile.MemberId)));

    /// <summary>
    /// Identification is a POST with the identifier in the body, not a GET with it in the query string, so phone
    /// numbers and e-mail addresses never land in access logs, proxies or browser history.
    /// </summary>
    public static Task<IResult> Identify(HttpContext context) =>
        Handler.InProgram<MemberIdentifier>(context, Till, (caller, program, identifier, ct) =>
            Handler.AuditedRead(context, caller, "member.identify",
                () => context.Service<IMemberService>().IdentifyAsync(program, identifier, ct), member => member.Profile.MemberId));

    public static Task<IResult> Get(HttpContext context, string memberId) =>
        Handler.InProgram(context, Till | Scope.Marketing, (caller, program, ct) =>
            Handler.AuditedRead(context, caller, "member.read",
                () => context.Service<IMemberService>().GetAsync(program, memberId, ct), _ => memberId));

    /// <summary>The member's open vouchers and campaign deliveries, as the member's own /me/offers: the clerk sells with them.</summary>
    public static Task<IResult> ListOffers(HttpContext context, string memberId) =>
        Handler.InProgram(context, Till | Scope.Marketing, (caller, program, ct) =>
            Handler.AuditedRead(context, caller, "member.offers",
                () => context.Service<ISelfService>().OffersAsync(program, memberId, ct), _ => memberId));

    /// <summary>
    /// Immediate, a new phone or e-mail included (the clerk saw the customer). Consent changes record who made them,
    /// "admin:{keyId}" or "staff:{keyId}" (docs/privacy.md), and the audit trail who, which fields and why.
    /// </summary>
    public static Task<IResult> UpdateContact(HttpContext context, string memberId) =>
        Handler.InProgram<UpdateContact>(context, Scope.Store, async (caller, program, request, ct) =>
            !Handler.TryAuditReason(context, out var reason, out var problem) ? problem!
            : Outcomes.Ok(await context.Service<IMemberService>().UpdateContactAsync(
                program, memberId, request, new StaffChange(caller.KeyId, (caller.Scopes & Scope.Admin) != 0, reason), ct)));

    public static Task<IResult> LinkHousehold(HttpContext context, string memberId) =>
        Handler.InProgram<HouseholdLink>(context, Scope.Store, async (_, program, request, ct) =>
            Outcomes.Ok(await context.Service<IMemberService>().LinkHouseholdAsync(program, memberId, request.HouseholdOf, ct)));

    public static Task<IResult> ListReceipts(HttpContext context, string memberId) =>
        Handler.InProgram(context, Till, async (caller, program, ct) =>
            !Handler.TryPage(context, out var page, out var problem) ? problem!
            : await Handler.AuditedRead(context, caller, "member.receipts",
                () => context.Service<IMemberService>().ListReceiptsAsync(program, memberId, page, ct), _ => memberId));

    public static Task<IResult> ListLedger(HttpContext context, string memberId) =>
        Handler.InProgram(context, Scope.Store, async (caller, program, ct) =>
            !Handler.TryPage(context, out var page, out var problem) ? problem!
            : await Handler.AuditedRead(context, caller, "member.ledger",
                () => context.Service<IMemberService>().ListLedgerAsync(program, memberId, page, ct), _ => memberId));

    public static Task<IResult> ChooseVoucher(HttpContext context, string memberId) =>
        Handler.InProgram<VoucherChoice>(context, Till, async (_, program, request, ct) =>
            Outcomes.Ok(await context.Service<IMemberService>().ChooseVoucherAsync(program, memberId, request.RequestId, request.Value, ct)));

    public static Task<IResult> RedeemVoucher(HttpContext context, string memberId, string voucherId) =>
        Handler.InProgram<VoucherRedemption>(context, Till, async (_, program, request, ct) =>
            Outcomes.Ok(await context.Service<IMemberService>().RedeemVoucherAsync(program, memberId, voucherId, request.RequestId, ct)));
}

/// <param name="HouseholdOf">The member whose household this member joins.</param>
public sealed record HouseholdLink(string HouseholdOf);

/// <param name="RequestId">Chosen by the till; a retry with the same id returns the first answer instead of deducting twice.</param>
/// <param name="Value">The denomination, e.g. 200 for a 200 kr voucher.</param>
public sealed record VoucherChoice(string RequestId, decimal Value);

/// <param name="RequestId">Chosen by the till; a retry with the same id returns the first answer.</param>
public sealed record VoucherRedemption(string RequestId);
