using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Receipts;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>Receipts from the web shop (the POS normally uses the receipts queue) and the receipts waiting for their member.</summary>
public static class ReceiptEndpoints
{
    /// <summary>
    /// Applies one receipt exactly once; resending it returns the same outcome. 200 when applied (or anonymous),
    /// 202 when parked: the identifier belongs to nobody yet, and the receipt is applied when someone enrols with it.
    /// Store staff may file one too (a member who forgot the card at the till): store may do whatever pos may.
    /// </summary>
    public static Task<IResult> Submit(HttpContext context) =>
        Handler.InProgram(context, Scope.Pos | Scope.Store, async (_, program, ct) =>
        {
            var body = await JsonBody.ReadAsync<PosReceipt>(context.Request, ct);
            if (body.Problem is { } problem) return problem;
            var result = await context.Service<IReceiptService>().SubmitAsync(program, body.Value!, body.Raw, ct);
            return Outcomes.From(result, value => Results.Json(value, JsonBody.Options,
                statusCode: value.Status == ReceiptStatus.Parked ? StatusCodes.Status202Accepted : StatusCodes.Status200OK));
        });

    public static Task<IResult> ListParked(HttpContext context) =>
        Handler.InProgram(context, Scope.Store, async (_, program, ct) =>
            !Handler.TryPage(context, out var page, out var problem) ? problem!
            : Outcomes.Ok(await context.Service<IReceiptService>().ListParkedAsync(program, page, ct)));

    /// <summary>Applies a parked receipt now (200 with the outcome), or 409 with why the member's account still refuses it (it stays parked).</summary>
    public static Task<IResult> RetryParked(HttpContext context, string receiptId) =>
        Handler.InProgram(context, Scope.Admin, async (caller, program, ct) =>
            !Handler.TryAuditReason(context, out var reason, out var problem) ? problem!
            : Outcomes.Ok(await context.Service<IReceiptService>().RetryParkedAsync(program, receiptId, Staff(caller, reason), ct)));

    /// <summary>Removes a parked receipt (200 with what was removed); its raw payload stays archived.</summary>
    public static Task<IResult> DiscardParked(HttpContext context, string receiptId) =>
        Handler.InProgram(context, Scope.Admin, async (caller, program, ct) =>
            !Handler.TryAuditReason(context, out var reason, out var problem) ? problem!
            : Outcomes.Ok(await context.Service<IReceiptService>().DiscardParkedAsync(program, receiptId, Staff(caller, reason), ct)));

    private static StaffChange Staff(ApiCaller caller, string? reason) => new(caller.KeyId, Admin: true, reason);
}
