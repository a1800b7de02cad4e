using Loyalty.Core.Access;
using Loyalty.Core.Application;

namespace Loyalty.Api.Endpoints;

/// <summary>
/// What a route takes beyond its body and path, for the OpenAPI document: who may call it and the query parameters and
/// headers its handler reads. The handlers read these from the HttpContext themselves (the Functions host binds nothing
/// for them), so the minimal-API metadata cannot see them; this table says it instead, by endpoint name. A test checks
/// that every route has an entry and that the scopes here are the ones the handlers enforce.
/// </summary>
public static class RouteContracts
{
    private const Scope Till = Scope.Pos | Scope.Store;

    private static readonly RouteParameter[] Paging =
    [
        new("pageSize", ParameterIn.Query, $"Items per page, 1 to {PageRequest.MaxPageSize} (default 50).", Integer: true),
        new("continuation", ParameterIn.Query, "The continuation of the previous page; absent for the first page."),
    ];

    private static readonly RouteParameter AuditReason =
        new(Handler.AuditReasonHeader, ParameterIn.Header, "Why an admin reads this member (a case number, at most 200 characters); recorded in the audit trail.");

    private static readonly RouteParameter ActionReason =
        new(Handler.AuditReasonHeader, ParameterIn.Header, "Why the operator acts (a case number, at most 200 characters); recorded in the audit trail.");

    public static IReadOnlyDictionary<string, RouteContract> ByName { get; } = new Dictionary<string, RouteContract>(StringComparer.Ordinal)
    {
        ["Health"] = new(Scope.None),
        ["EnrolMember"] = new(Till),
        ["IdentifyMember"] = new(Till, Parameters: [AuditReason]),
        ["GetMember"] = new(Till | Scope.Marketing, Parameters: [AuditReason]),
        ["UpdateMemberContact"] = new(Scope.Store),
        ["LinkHousehold"] = new(Scope.Store),
        ["ListMemberReceipts"] = new(Till, Parameters: [.. Paging, AuditReason]),
        ["ListMemberLedger"] = new(Scope.Store, Parameters: [.. Paging, AuditReason]),
        ["ChooseVoucher"] = new(Till),
        ["RedeemVoucher"] = new(Till),
        ["ExportMember"] = new(Scope.Admin, Member: true, Parameters: [AuditReason]),
        ["EraseMember"] = new(Scope.Admin),
        ["RequestMemberCode"] = new(Till),
        ["IssueMemberToken"] = new(Till),
        ["GetMe"] = new(Scope.None, Member: true),
        ["UpdateMe"] = new(Scope.None, Member: true),
        ["ListMyReceipts"] = new(Scope.None, Member: true, Parameters: Paging),
        ["ListMyOffers"] = new(Scope.None, Member: true),
        ["ConfirmMyContact"] = new(Scope.None, Member: true),
        ["ChooseMyVoucher"] = new(Scope.None, Member: true),
        ["ListAudit"] = new(Scope.Admin, Parameters: [new("memberId", ParameterIn.Query, "The member whose trail to list.", Required: true), .. Paging]),
        ["SubmitReceipt"] = new(Till),
        ["ListParkedReceipts"] = new(Scope.Store, Parameters: Paging),
        ["RetryParkedReceipt"] = new(Scope.Admin, Parameters: [ActionReason]),
        ["DiscardParkedReceipt"] = new(Scope.Admin, Parameters: [ActionReason]),
        ["CreateSegment"] = new(Scope.Marketing),
        ["ListSegments"] = new(Scope.Marketing),
        ["PreviewSegment"] = new(Scope.Marketing),
        ["CreateCampaign"] = new(Scope.Marketing),
        ["ListCampaigns"] = new(Scope.Marketing),
        ["GetCampaign"] = new(Scope.Marketing),
        ["ScheduleCampaign"] = new(Scope.Marketing),
        ["CancelCampaign"] = new(Scope.Marketing),
        ["GetCampaignStatistics"] = new(Scope.Marketing),
        ["RunCampaignNow"] = new(Scope.Marketing),
        ["GetCampaignRun"] = new(Scope.Marketing),
        ["RunNightlyReview"] = new(Scope.Admin),
        ["GetNightlyReview"] = new(Scope.Admin),
        ["GetProgram"] = new(Scope.Admin | Scope.Marketing),
        ["PublishProgramVersion"] = new(Scope.Admin),
        ["ListApiKeys"] = new(Scope.Admin, Parameters: Paging),
        ["CreateApiKey"] = new(Scope.Admin),
        ["GetApiKey"] = new(Scope.Admin),
        ["RevokeApiKey"] = new(Scope.Admin),
    };
}

/// <param name="Keys">The API-key scopes that may call (an admin key may call wherever any scope may); none: no key is taken.</param>
/// <param name="Member">Whether a member token may call (for its own member). Neither keys nor a member: anonymous.</param>
public sealed record RouteContract(Scope Keys, bool Member = false, IReadOnlyList<RouteParameter>? Parameters = null)
{
    public bool Anonymous => Keys == Scope.None && !Member;
}

public enum ParameterIn
{
    Query,
    Header,
}

public sealed record RouteParameter(string Name, ParameterIn In, string Description, bool Required = false, bool Integer = false);
