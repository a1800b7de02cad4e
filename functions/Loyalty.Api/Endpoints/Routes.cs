using Loyalty.Api.Auth;
using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Application.Statistics;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Api.Endpoints;

/// <summary>
/// The API as data: every route once, with its handler, who may call it and what it reads and answers. The local host
/// maps the table (<see cref="MapLoyaltyApi"/>), the OpenAPI document is generated from it, and a test holds the
/// Functions app's HTTP functions to it through the functions.metadata the Functions SDK generates.
/// </summary>
public static class Routes
{
    public const string Prefix = "/api/v1";

    private const string Get = "GET";
    private const string Post = "POST";
    private const string Put = "PUT";
    private const string Patch = "PATCH";
    private const string Delete = "DELETE";

    private const string Health = "Health";
    private const string Members = "Members";
    private const string Privacy = "Privacy";
    private const string SelfService = "Member self-service";
    private const string Receipts = "Receipts";
    private const string Campaigns = "Campaigns";
    private const string Jobs = "Jobs";
    private const string Keys = "API keys";
    private const string Program = "Program";

    private const Scope Till = Scope.Pos | Scope.Store;

    private static readonly RouteParameter[] Paging =
    [
        new("pageSize", ParameterIn.Query, $"Items per page, 1 to {PageRequest.MaxPageSize} (default 50).", Integer: true),
        new("continuation", ParameterIn.Query, "The continuation of the previous page; absent for the first page."),
    ];

    private static readonly RouteParameter AuditReason =
        new(Handler.AuditReasonHeader, ParameterIn.Header,
            "Why an admin reads this member (a case number, at most 200 characters); recorded in the audit trail.");

    private static readonly RouteParameter ActionReason =
        new(Handler.AuditReasonHeader, ParameterIn.Header, "Why the operator acts (a case number, at most 200 characters); recorded in the audit trail.");

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("Health", Get, "/health", Health, HealthEndpoints.Get, new(Scope.None)),

        new("EnrolMember", Post, "/members", Members, Body(MemberEndpoints.Enrol), new(Till))
        {
            Accepts = typeof(EnrolMember),
            Responses = [new(201, typeof(MemberDetails))],
            Problems = [409],
        },
        new("IdentifyMember", Post, "/members/identify", Members, Body(MemberEndpoints.Identify), new(Till, Parameters: [AuditReason]))
        {
            Accepts = typeof(MemberIdentifier),
            Responses = [new(200, typeof(MemberDetails))],
            Problems = [404],
        },
        new("GetMember", Get, "/members/{memberId}", Members, MemberEndpoints.Get, new(Till | Scope.Marketing, Parameters: [AuditReason]))
        {
            Responses = [new(200, typeof(MemberDetails))],
            Problems = [404],
        },
        new("UpdateMemberContact", Patch, "/members/{memberId}", Members, MemberEndpoints.UpdateContact, new(Scope.Store))
        {
            Accepts = typeof(UpdateContact),
            Responses = [new(200, typeof(MemberDetails))],
            Problems = [404, 409],
        },
        new("LinkHousehold", Put, "/members/{memberId}/household", Members, MemberEndpoints.LinkHousehold, new(Scope.Store))
        {
            Accepts = typeof(HouseholdLink),
            Responses = [new(200, typeof(MemberDetails))],
            Problems = [404],
        },
        new("ListMemberReceipts", Get, "/members/{memberId}/receipts", Members, MemberEndpoints.ListReceipts, new(Till, Parameters: [.. Paging, AuditReason]))
        {
            Responses = [new(200, typeof(Page<ReceiptSummary>))],
            Problems = [404],
        },
        new("ListMemberOffers", Get, "/members/{memberId}/offers", Members, MemberEndpoints.ListOffers, new(Till | Scope.Marketing, Parameters: [AuditReason]))
        {
            Responses = [new(200, typeof(MemberOffers))],
            Problems = [404],
        },
        new("ListMemberLedger", Get, "/members/{memberId}/ledger", Members, MemberEndpoints.ListLedger, new(Scope.Store, Parameters: [.. Paging, AuditReason]))
        {
            Responses = [new(200, typeof(Page<Core.Ledger.LedgerEntry>))],
            Problems = [404],
        },
        new("ChooseVoucher", Post, "/members/{memberId}/vouchers", Members, MemberEndpoints.ChooseVoucher, new(Till))
        {
            Accepts = typeof(VoucherChoice),
            Responses = [new(200, typeof(Outcome))],
            Problems = [404, 409],
        },
        new("RedeemVoucher", Post, "/members/{memberId}/vouchers/{voucherId}/redemptions", Members, MemberEndpoints.RedeemVoucher, new(Till))
        {
            Accepts = typeof(VoucherRedemption),
            Responses = [new(200, typeof(Outcome))],
            Problems = [404, 409],
        },

        new("ExportMember", Get, "/members/{memberId}/export", Privacy, PrivacyEndpoints.Export, new(Scope.Admin, Member: true, Parameters: [AuditReason]))
        {
            Responses = [new(200, typeof(MemberExport))],
            Problems = [404],
        },
        new("EraseMember", Post, "/members/{memberId}/erasure", Privacy, PrivacyEndpoints.Erase, new(Scope.Admin))
        {
            Accepts = typeof(ErasureRequest),
            Responses = [new(200, typeof(ErasureRecord))],
            Problems = [404],
        },

        new("RequestMemberCode", Post, "/member-auth/codes", SelfService, Body(MemberAuthEndpoints.RequestCode), new(Till))
        {
            Accepts = typeof(CodeRequest),
            Responses = [new(202, typeof(CodeSent))],
            Problems = [429],
        },
        new("IssueMemberToken", Post, "/member-auth/tokens", SelfService, Body(MemberAuthEndpoints.IssueToken), new(Till))
        {
            Accepts = typeof(TokenRequest),
            Responses = [new(200, typeof(MemberToken))],
            Problems = [429],
        },
        new("RequestMyPagesCode", Post, "/member-auth/pages/codes", SelfService, Body(MemberAuthEndpoints.RequestPagesCode), new(Scope.None))
        {
            Accepts = typeof(CodeRequest),
            Responses = [new(202, typeof(CodeSent))],
            Problems = [400, 404, 429],
        },
        new("IssueMyPagesToken", Post, "/member-auth/pages/tokens", SelfService, Body(MemberAuthEndpoints.IssuePagesToken), new(Scope.None))
        {
            Accepts = typeof(TokenRequest),
            Responses = [new(200, typeof(MemberToken))],
            Problems = [400, 404, 429],
        },
        new("GetMe", Get, "/me", SelfService, Body(SelfServiceEndpoints.Get), new(Scope.None, Member: true))
        {
            Responses = [new(200, typeof(MemberDetails))],
            Problems = [404],
        },
        new("UpdateMe", Patch, "/me", SelfService, Body(SelfServiceEndpoints.Update), new(Scope.None, Member: true))
        {
            Accepts = typeof(UpdateContact),
            Responses = [new(200, typeof(ContactUpdate)), new(202, typeof(ContactUpdate))],
            Problems = [404, 409, 429],
        },
        new("ConfirmMyContact", Post, "/me/contact-confirmations", SelfService, Body(SelfServiceEndpoints.ConfirmContact), new(Scope.None, Member: true))
        {
            Accepts = typeof(ContactConfirmation),
            Responses = [new(200, typeof(MemberDetails))],
            Problems = [404, 409, 429],
        },
        new("ListMyReceipts", Get, "/me/receipts", SelfService, Body(SelfServiceEndpoints.ListReceipts), new(Scope.None, Member: true, Parameters: Paging))
        {
            Responses = [new(200, typeof(Page<ReceiptSummary>))],
            Problems = [404],
        },
        new("ListMyOffers", Get, "/me/offers", SelfService, Body(SelfServiceEndpoints.ListOffers), new(Scope.None, Member: true))
        {
            Responses = [new(200, typeof(MemberOffers))],
            Problems = [404],
        },
        new("ChooseMyVoucher", Post, "/me/vouchers", SelfService, Body(SelfServiceEndpoints.ChooseVoucher), new(Scope.None, Member: true))
        {
            Accepts = typeof(VoucherChoice),
            Responses = [new(200, typeof(Outcome))],
            Problems = [404, 409],
        },
        new("ExportMyData", Get, "/me/export", SelfService, Body(PrivacyEndpoints.ExportMine), new(Scope.None, Member: true))
        {
            Responses = [new(200, typeof(MemberExport))],
            Problems = [404],
        },
        new("EraseMe", Post, "/me/erasure", SelfService, Body(PrivacyEndpoints.EraseMine), new(Scope.None, Member: true))
        {
            Accepts = typeof(SelfErasure),
            Responses = [new(200, typeof(ErasureRecord))],
            Problems = [404],
        },

        new("ListAudit", Get, "/audit", Privacy, Body(PrivacyEndpoints.ListAudit),
            new(Scope.Admin, Parameters: [new("memberId", ParameterIn.Query, "The member whose trail to list.", Required: true), .. Paging]))
        {
            Responses = [new(200, typeof(Page<AuditEntry>))],
        },

        new("SubmitReceipt", Post, "/receipts", Receipts, Body(ReceiptEndpoints.Submit), new(Till))
        {
            Accepts = typeof(PosReceipt),
            Responses = [new(200, typeof(ReceiptResult)), new(202, typeof(ReceiptResult))],
            Problems = [404, 409],
        },
        new("ListParkedReceipts", Get, "/receipts/parked", Receipts, Body(ReceiptEndpoints.ListParked), new(Scope.Store, Parameters: Paging))
        {
            Responses = [new(200, typeof(Page<ParkedReceipt>))],
        },
        new("RetryParkedReceipt", Post, "/receipts/parked/{receiptId}/retry", Receipts, ReceiptEndpoints.RetryParked,
            new(Scope.Admin, Parameters: [ActionReason]))
        {
            Responses = [new(200, typeof(ReceiptResult))],
            Problems = [404, 409],
        },
        new("DiscardParkedReceipt", Delete, "/receipts/parked/{receiptId}", Receipts, ReceiptEndpoints.DiscardParked,
            new(Scope.Admin, Parameters: [ActionReason]))
        {
            Responses = [new(200, typeof(ParkedReceipt))],
            Problems = [404, 409],
        },

        new("CreateSegment", Post, "/segments", Campaigns, Body(CampaignEndpoints.CreateSegment), new(Scope.Marketing))
        {
            Accepts = typeof(CreateSegment),
            Responses = [new(201, typeof(NamedSegmentView))],
            Problems = [409],
        },
        new("ListSegments", Get, "/segments", Campaigns, Body(CampaignEndpoints.ListSegments), new(Scope.Marketing))
        {
            Responses = [new(200, typeof(IReadOnlyList<NamedSegmentView>))],
        },
        new("PreviewSegment", Post, "/segments/preview", Campaigns, Body(CampaignEndpoints.PreviewSegment), new(Scope.Marketing))
        {
            Accepts = typeof(SegmentPreview),
            Responses = [new(200, typeof(SegmentSize))],
            Problems = [404],
        },
        new("CreateCampaign", Post, "/campaigns", Campaigns, Body(CampaignEndpoints.Create), new(Scope.Marketing))
        {
            Accepts = typeof(Core.Campaigns.CampaignDefinition),
            Responses = [new(201, typeof(CampaignView))],
            Problems = [404, 409],
        },
        new("ListCampaigns", Get, "/campaigns", Campaigns, Body(CampaignEndpoints.List), new(Scope.Marketing))
        {
            Responses = [new(200, typeof(IReadOnlyList<CampaignView>))],
        },
        new("GetCampaign", Get, "/campaigns/{campaignId}", Campaigns, CampaignEndpoints.Get, new(Scope.Marketing))
        {
            Responses = [new(200, typeof(CampaignView))],
            Problems = [404],
        },
        new("ScheduleCampaign", Post, "/campaigns/{campaignId}/schedule", Campaigns, CampaignEndpoints.Schedule, new(Scope.Marketing))
        {
            Responses = [new(200, typeof(CampaignView))],
            Problems = [404, 409],
        },
        new("CancelCampaign", Post, "/campaigns/{campaignId}/cancel", Campaigns, CampaignEndpoints.Cancel, new(Scope.Marketing))
        {
            Responses = [new(200, typeof(CampaignView))],
            Problems = [404, 409],
        },
        new("GetCampaignStatistics", Get, "/campaigns/{campaignId}/statistics", Campaigns, CampaignEndpoints.Statistics, new(Scope.Marketing))
        {
            Responses = [new(200, typeof(CampaignStatisticsView))],
            Problems = [404],
        },
        new("RunCampaignNow", Post, "/campaigns/{campaignId}/run", Campaigns, (HttpContext context, string campaignId, [FromServices] IJobStarter starter) =>
            JobEndpoints.RunCampaign(context, campaignId, starter), new(Scope.Marketing))
        {
            Responses = [new(202, typeof(JobStart))],
            Problems = [404, 409],
        },
        new("GetCampaignRun", Get, "/campaigns/{campaignId}/runs/{runId}", Campaigns, JobEndpoints.GetCampaignRun, new(Scope.Marketing))
        {
            Responses = [new(200, typeof(JobProgressView))],
            Problems = [404],
        },

        new("RunNightlyReview", Post, "/nightly-reviews/{date}/run", Jobs, (HttpContext context, string date, [FromServices] IJobStarter starter) =>
            JobEndpoints.RunNightly(context, date, starter), new(Scope.Admin))
        {
            Responses = [new(200, typeof(JobStart)), new(202, typeof(JobStart))],
            Problems = [409],
        },
        new("GetNightlyReview", Get, "/nightly-reviews/{date}", Jobs, JobEndpoints.GetNightly, new(Scope.Admin))
        {
            Responses = [new(200, typeof(JobProgressView))],
        },

        new("ListApiKeys", Get, "/keys", Keys, Body(ApiKeyEndpoints.List), new(Scope.Admin, Parameters: Paging))
        {
            Responses = [new(200, typeof(Page<ApiKeyInfo>))],
        },
        new("CreateApiKey", Post, "/keys", Keys, Body(ApiKeyEndpoints.Create), new(Scope.Admin))
        {
            Accepts = typeof(NewApiKey),
            Responses = [new(201, typeof(CreatedApiKey))],
        },
        new("GetApiKey", Get, "/keys/{keyId}", Keys, ApiKeyEndpoints.Get, new(Scope.Admin))
        {
            Responses = [new(200, typeof(ApiKeyInfo))],
            Problems = [404],
        },
        new("RevokeApiKey", Post, "/keys/{keyId}/revoke", Keys, ApiKeyEndpoints.Revoke, new(Scope.Admin))
        {
            Responses = [new(200, typeof(ApiKeyInfo))],
            Problems = [404],
        },

        new("GetProgram", Get, "/program", Program, Body(ProgramEndpoints.Get), new(Scope.Admin | Scope.Marketing))
        {
            Responses = [new(200, typeof(ProgramSummary))],
        },
        new("GetProgramFigures", Get, "/program/figures", Program, ProgramEndpoints.Figures, new(Scope.Admin | Scope.Marketing, Parameters: [
            new("days", ParameterIn.Query,
                $"The nights of the last this many days, 1 to {FiguresService.MaxDays} (default {FiguresService.DefaultDays}).", Integer: true),
        ]))
        {
            Responses = [new(200, typeof(Core.Statistics.ProgramFigures))],
        },
        new("PublishProgramVersion", Put, "/program", Program, Body(ProgramEndpoints.Publish), new(Scope.Admin))
        {
            Accepts = typeof(ProgramDefinition),
            Responses = [new(200, typeof(ProgramSummary))],
            Problems = [409],
        },
    ];

    public static IReadOnlyDictionary<string, ApiRoute> ByName { get; } = All.ToDictionary(route => route.Name, StringComparer.Ordinal);

    public static IServiceCollection AddLoyaltyApi(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyAuthentication>();
        services.AddSingleton<ClientAddresses>();
        return services;
    }

    public static IEndpointRouteBuilder MapLoyaltyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix);
        foreach (var route in All)
        {
            var endpoint = api.MapMethods(route.Path, [route.Method], route.Handler).WithName(route.Name).WithTags(route.Tag);
            if (route.Accepts is { } body) endpoint.Accepts(body, "application/json");
            foreach (var response in route.Responses)
                endpoint.Produces(response.Status, response.Body);
            if (route.Contract.Anonymous)
                endpoint.AllowAnonymous();
            else
                endpoint.ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
            foreach (var status in route.Problems)
                endpoint.ProducesProblem(status);
        }
        return app;
    }

    // Handlers that take only the HttpContext would bind as a RequestDelegate, whose Task<IResult> is discarded;
    // as a Delegate the minimal-API machinery writes the result.
    private static Delegate Body(Func<HttpContext, Task<IResult>> handler) => handler;
}
