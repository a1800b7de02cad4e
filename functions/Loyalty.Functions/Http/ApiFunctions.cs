using Loyalty.Api.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Loyalty.Functions.Http;

/// <summary>
/// One HTTP function per route of <see cref="Routes.All"/>, each calling the same handler as the local host.
/// Routes omit the "api" prefix: the host adds extensions.http.routePrefix from host.json ("api"), giving /api/v1/….
/// Anonymous at the platform level because every handler authenticates its API key itself (Endpoints/Handler.cs).
/// Route values bind to parameters of the same name. tests/Loyalty.Functions.Tests/FunctionsMetadataTests.cs keeps the
/// generated function list equal to the local host's routes.
/// </summary>
public sealed class ApiFunctions(TimeProvider time)
{
    [Function("Health")]
    public IActionResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/health")] HttpRequest req) =>
        new HandlerResult(HealthEndpoints.Get(time));

    [Function("EnrolMember")]
    public Task<IActionResult> EnrolMember([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/members")] HttpRequest req) =>
        HandlerResult.From(MemberEndpoints.Enrol(req.HttpContext));

    [Function("IdentifyMember")]
    public Task<IActionResult> IdentifyMember([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/members/identify")] HttpRequest req) =>
        HandlerResult.From(MemberEndpoints.Identify(req.HttpContext));

    [Function("GetMember")]
    public Task<IActionResult> GetMember(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/members/{memberId}")] HttpRequest req, string memberId) =>
        HandlerResult.From(MemberEndpoints.Get(req.HttpContext, memberId));

    [Function("UpdateMemberContact")]
    public Task<IActionResult> UpdateMemberContact(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/members/{memberId}")] HttpRequest req, string memberId) =>
        HandlerResult.From(MemberEndpoints.UpdateContact(req.HttpContext, memberId));

    [Function("LinkHousehold")]
    public Task<IActionResult> LinkHousehold(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/members/{memberId}/household")] HttpRequest req, string memberId) =>
        HandlerResult.From(MemberEndpoints.LinkHousehold(req.HttpContext, memberId));

    [Function("ListMemberReceipts")]
    public Task<IActionResult> ListMemberReceipts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/members/{memberId}/receipts")] HttpRequest req, string memberId) =>
        HandlerResult.From(MemberEndpoints.ListReceipts(req.HttpContext, memberId));

    [Function("ListMemberOffers")]
    public Task<IActionResult> ListMemberOffers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/members/{memberId}/offers")] HttpRequest req, string memberId) =>
        HandlerResult.From(MemberEndpoints.ListOffers(req.HttpContext, memberId));

    [Function("ListMemberLedger")]
    public Task<IActionResult> ListMemberLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/members/{memberId}/ledger")] HttpRequest req, string memberId) =>
        HandlerResult.From(MemberEndpoints.ListLedger(req.HttpContext, memberId));

    [Function("ChooseVoucher")]
    public Task<IActionResult> ChooseVoucher(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/members/{memberId}/vouchers")] HttpRequest req, string memberId) =>
        HandlerResult.From(MemberEndpoints.ChooseVoucher(req.HttpContext, memberId));

    [Function("RedeemVoucher")]
    public Task<IActionResult> RedeemVoucher([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "v1/members/{memberId}/vouchers/{voucherId}/redemptions")] HttpRequest req, string memberId, string voucherId) =>
        HandlerResult.From(MemberEndpoints.RedeemVoucher(req.HttpContext, memberId, voucherId));

    [Function("ExportMember")]
    public Task<IActionResult> ExportMember(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/members/{memberId}/export")] HttpRequest req, string memberId) =>
        HandlerResult.From(PrivacyEndpoints.Export(req.HttpContext, memberId));

    [Function("EraseMember")]
    public Task<IActionResult> EraseMember(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/members/{memberId}/erasure")] HttpRequest req, string memberId) =>
        HandlerResult.From(PrivacyEndpoints.Erase(req.HttpContext, memberId));

    [Function("RequestMemberCode")]
    public Task<IActionResult> RequestMemberCode([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/member-auth/codes")] HttpRequest req) =>
        HandlerResult.From(MemberAuthEndpoints.RequestCode(req.HttpContext));

    [Function("IssueMemberToken")]
    public Task<IActionResult> IssueMemberToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/member-auth/tokens")] HttpRequest req) =>
        HandlerResult.From(MemberAuthEndpoints.IssueToken(req.HttpContext));

    [Function("RequestMyPagesCode")]
    public Task<IActionResult> RequestMyPagesCode([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/member-auth/pages/codes")] HttpRequest req) =>
        HandlerResult.From(MemberAuthEndpoints.RequestPagesCode(req.HttpContext));

    [Function("IssueMyPagesToken")]
    public Task<IActionResult> IssueMyPagesToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/member-auth/pages/tokens")] HttpRequest req) =>
        HandlerResult.From(MemberAuthEndpoints.IssuePagesToken(req.HttpContext));

    [Function("GetMe")]
    public Task<IActionResult> GetMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/me")] HttpRequest req) =>
        HandlerResult.From(SelfServiceEndpoints.Get(req.HttpContext));

    [Function("UpdateMe")]
    public Task<IActionResult> UpdateMe([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/me")] HttpRequest req) =>
        HandlerResult.From(SelfServiceEndpoints.Update(req.HttpContext));

    [Function("ConfirmMyContact")]
    public Task<IActionResult> ConfirmMyContact([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/me/contact-confirmations")] HttpRequest req) =>
        HandlerResult.From(SelfServiceEndpoints.ConfirmContact(req.HttpContext));

    [Function("ListMyReceipts")]
    public Task<IActionResult> ListMyReceipts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/me/receipts")] HttpRequest req) =>
        HandlerResult.From(SelfServiceEndpoints.ListReceipts(req.HttpContext));

    [Function("ListMyOffers")]
    public Task<IActionResult> ListMyOffers([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/me/offers")] HttpRequest req) =>
        HandlerResult.From(SelfServiceEndpoints.ListOffers(req.HttpContext));

    [Function("ChooseMyVoucher")]
    public Task<IActionResult> ChooseMyVoucher([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/me/vouchers")] HttpRequest req) =>
        HandlerResult.From(SelfServiceEndpoints.ChooseVoucher(req.HttpContext));

    [Function("ExportMyData")]
    public Task<IActionResult> ExportMyData([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/me/export")] HttpRequest req) =>
        HandlerResult.From(PrivacyEndpoints.ExportMine(req.HttpContext));

    [Function("EraseMe")]
    public Task<IActionResult> EraseMe([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/me/erasure")] HttpRequest req) =>
        HandlerResult.From(PrivacyEndpoints.EraseMine(req.HttpContext));

    [Function("ListAudit")]
    public Task<IActionResult> ListAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/audit")] HttpRequest req) =>
        HandlerResult.From(PrivacyEndpoints.ListAudit(req.HttpContext));

    [Function("SubmitReceipt")]
    public Task<IActionResult> SubmitReceipt([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/receipts")] HttpRequest req) =>
        HandlerResult.From(ReceiptEndpoints.Submit(req.HttpContext));

    [Function("ListParkedReceipts")]
    public Task<IActionResult> ListParkedReceipts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/receipts/parked")] HttpRequest req) =>
        HandlerResult.From(ReceiptEndpoints.ListParked(req.HttpContext));

    [Function("RetryParkedReceipt")]
    public Task<IActionResult> RetryParkedReceipt([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "v1/receipts/parked/{receiptId}/retry")] HttpRequest req, string receiptId) =>
        HandlerResult.From(ReceiptEndpoints.RetryParked(req.HttpContext, receiptId));

    [Function("DiscardParkedReceipt")]
    public Task<IActionResult> DiscardParkedReceipt([HttpTrigger(AuthorizationLevel.Anonymous, "delete",
        Route = "v1/receipts/parked/{receiptId}")] HttpRequest req, string receiptId) =>
        HandlerResult.From(ReceiptEndpoints.DiscardParked(req.HttpContext, receiptId));

    [Function("GetProgram")]
    public Task<IActionResult> GetProgram([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/program")] HttpRequest req) =>
        HandlerResult.From(ProgramEndpoints.Get(req.HttpContext));

    [Function("GetProgramFigures")]
    public Task<IActionResult> GetProgramFigures([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/program/figures")] HttpRequest req) =>
        HandlerResult.From(ProgramEndpoints.Figures(req.HttpContext));

    [Function("PublishProgramVersion")]
    public Task<IActionResult> PublishProgramVersion([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/program")] HttpRequest req) =>
        HandlerResult.From(ProgramEndpoints.Publish(req.HttpContext));
}
