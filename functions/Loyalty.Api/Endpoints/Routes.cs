using Loyalty.Api.Auth;
using Loyalty.Api.Http;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Api.Endpoints;

/// <summary>
/// The API's routes for an ASP.NET Core host. The Azure Functions app declares the same routes as HTTP triggers
/// calling the same handlers; a test keeps the two lists equal.
/// </summary>
public static class Routes
{
    public const string Prefix = "/api/v1";

    public static IServiceCollection AddLoyaltyApi(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyAuthentication>();
        services.AddSingleton<ClientAddresses>();
        return services;
    }

    public static IEndpointRouteBuilder MapLoyaltyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix);

        api.MapGet("/health", HealthEndpoints.Get).WithName("Health").WithTags("Health").AllowAnonymous();

        var members = api.MapGroup("/members").WithTags("Members");
        members.MapPost("", Body(MemberEndpoints.Enrol)).WithName("EnrolMember")
            .Accepts<EnrolMember>("application/json").Produces<MemberDetails>(StatusCodes.Status201Created).WithProblems(409);
        members.MapPost("/identify", Body(MemberEndpoints.Identify)).WithName("IdentifyMember")
            .Accepts<MemberIdentifier>("application/json").Produces<MemberDetails>().WithProblems(404);
        members.MapGet("/{memberId}", MemberEndpoints.Get).WithName("GetMember").Produces<MemberDetails>().WithProblems(404);
        members.MapPatch("/{memberId}", MemberEndpoints.UpdateContact).WithName("UpdateMemberContact")
            .Accepts<UpdateContact>("application/json").Produces<MemberDetails>().WithProblems(404, 409);
        members.MapPut("/{memberId}/household", MemberEndpoints.LinkHousehold).WithName("LinkHousehold")
            .Accepts<HouseholdLink>("application/json").Produces<MemberDetails>().WithProblems(404);
        members.MapGet("/{memberId}/receipts", MemberEndpoints.ListReceipts).WithName("ListMemberReceipts")
            .Produces<Page<ReceiptSummary>>().WithProblems(404);
        members.MapGet("/{memberId}/ledger", MemberEndpoints.ListLedger).WithName("ListMemberLedger")
            .Produces<Page<Core.Ledger.LedgerEntry>>().WithProblems(404);
        members.MapPost("/{memberId}/vouchers", MemberEndpoints.ChooseVoucher).WithName("ChooseVoucher")
            .Accepts<VoucherChoice>("application/json").Produces<Outcome>().WithProblems(404, 409);
        members.MapPost("/{memberId}/vouchers/{voucherId}/redemptions", MemberEndpoints.RedeemVoucher).WithName("RedeemVoucher")
            .Accepts<VoucherRedemption>("application/json").Produces<Outcome>().WithProblems(404, 409);
        members.MapGet("/{memberId}/export", PrivacyEndpoints.Export).WithName("ExportMember").WithTags("Privacy")
            .Produces<MemberExport>().WithProblems(404);
        members.MapPost("/{memberId}/erasure", PrivacyEndpoints.Erase).WithName("EraseMember").WithTags("Privacy")
            .Accepts<ErasureRequest>("application/json").Produces<ErasureRecord>().WithProblems(404);

        var auth = api.MapGroup("/member-auth").WithTags("Member self-service");
        auth.MapPost("/codes", Body(MemberAuthEndpoints.RequestCode)).WithName("RequestMemberCode")
            .Accepts<CodeRequest>("application/json").Produces<CodeSent>(StatusCodes.Status202Accepted).WithProblems(429);
        auth.MapPost("/tokens", Body(MemberAuthEndpoints.IssueToken)).WithName("IssueMemberToken")
            .Accepts<TokenRequest>("application/json").Produces<MemberToken>().WithProblems(429);

        var me = api.MapGroup("/me").WithTags("Member self-service");
        me.MapGet("", Body(SelfServiceEndpoints.Get)).WithName("GetMe").Produces<MemberDetails>().WithProblems(404);
        me.MapPatch("", Body(SelfServiceEndpoints.Update)).WithName("UpdateMe")
            .Accepts<UpdateContact>("application/json").Produces<ContactUpdate>().Produces<ContactUpdate>(StatusCodes.Status202Accepted).WithProblems(404, 409, 429);
        me.MapPost("/contact-confirmations", Body(SelfServiceEndpoints.ConfirmContact)).WithName("ConfirmMyContact")
            .Accepts<ContactConfirmation>("application/json").Produces<MemberDetails>().WithProblems(404, 409, 429);
        me.MapGet("/receipts", Body(SelfServiceEndpoints.ListReceipts)).WithName("ListMyReceipts").Produces<Page<ReceiptSummary>>().WithProblems(404);
        me.MapGet("/offers", Body(SelfServiceEndpoints.ListOffers)).WithName("ListMyOffers").Produces<MemberOffers>().WithProblems(404);
        me.MapPost("/vouchers", Body(SelfServiceEndpoints.ChooseVoucher)).WithName("ChooseMyVoucher")
            .Accepts<VoucherChoice>("application/json").Produces<Outcome>().WithProblems(404, 409);

        api.MapGet("/audit", Body(PrivacyEndpoints.ListAudit)).WithName("ListAudit").WithTags("Privacy").Produces<Page<AuditEntry>>().WithProblems();

        var receipts = api.MapGroup("/receipts").WithTags("Receipts");
        receipts.MapPost("", Body(ReceiptEndpoints.Submit)).WithName("SubmitReceipt")
            .Accepts<PosReceipt>("application/json").Produces<ReceiptResult>().Produces<ReceiptResult>(StatusCodes.Status202Accepted).WithProblems(404, 409);
        receipts.MapGet("/parked", Body(ReceiptEndpoints.ListParked)).WithName("ListParkedReceipts").Produces<Page<ParkedReceipt>>();
        receipts.MapPost("/parked/{receiptId}/retry", ReceiptEndpoints.RetryParked).WithName("RetryParkedReceipt")
            .Produces<ReceiptResult>().WithProblems(404, 409);
        receipts.MapDelete("/parked/{receiptId}", ReceiptEndpoints.DiscardParked).WithName("DiscardParkedReceipt")
            .Produces<ParkedReceipt>().WithProblems(404, 409);

        var segments = api.MapGroup("/segments").WithTags("Campaigns");
        segments.MapPost("", Body(CampaignEndpoints.CreateSegment)).WithName("CreateSegment")
            .Accepts<CreateSegment>("application/json").Produces<NamedSegmentView>(StatusCodes.Status201Created).WithProblems(409);
        segments.MapGet("", Body(CampaignEndpoints.ListSegments)).WithName("ListSegments").Produces<IReadOnlyList<NamedSegmentView>>().WithProblems();
        segments.MapPost("/preview", Body(CampaignEndpoints.PreviewSegment)).WithName("PreviewSegment")
            .Accepts<SegmentPreview>("application/json").Produces<SegmentSize>().WithProblems(404);

        var campaigns = api.MapGroup("/campaigns").WithTags("Campaigns");
        campaigns.MapPost("", Body(CampaignEndpoints.Create)).WithName("CreateCampaign")
            .Accepts<Core.Campaigns.CampaignDefinition>("application/json").Produces<CampaignView>(StatusCodes.Status201Created).WithProblems(404, 409);
        campaigns.MapGet("", Body(CampaignEndpoints.List)).WithName("ListCampaigns").Produces<IReadOnlyList<CampaignView>>().WithProblems();
        campaigns.MapGet("/{campaignId}", CampaignEndpoints.Get).WithName("GetCampaign").Produces<CampaignView>().WithProblems(404);
        campaigns.MapPost("/{campaignId}/schedule", CampaignEndpoints.Schedule).WithName("ScheduleCampaign").Produces<CampaignView>().WithProblems(404, 409);
        campaigns.MapPost("/{campaignId}/cancel", CampaignEndpoints.Cancel).WithName("CancelCampaign").Produces<CampaignView>().WithProblems(404, 409);
        campaigns.MapGet("/{campaignId}/statistics", CampaignEndpoints.Statistics).WithName("GetCampaignStatistics")
            .Produces<CampaignStatisticsView>().WithProblems(404);

        campaigns.MapPost("/{campaignId}/run", (HttpContext context, string campaignId, [FromServices] IJobStarter starter) => JobEndpoints.RunCampaign(context, campaignId, starter))
            .WithName("RunCampaignNow").Produces<JobStart>(StatusCodes.Status202Accepted).WithProblems(404, 409);
        campaigns.MapGet("/{campaignId}/runs/{runId}", JobEndpoints.GetCampaignRun).WithName("GetCampaignRun").Produces<JobProgressView>().WithProblems(404);

        var nightly = api.MapGroup("/nightly-reviews").WithTags("Jobs");
        nightly.MapPost("/{date}/run", (HttpContext context, string date, [FromServices] IJobStarter starter) => JobEndpoints.RunNightly(context, date, starter))
            .WithName("RunNightlyReview").Produces<JobStart>().Produces<JobStart>(StatusCodes.Status202Accepted).WithProblems(409);
        nightly.MapGet("/{date}", JobEndpoints.GetNightly).WithName("GetNightlyReview").Produces<JobProgressView>().WithProblems();

        var keys = api.MapGroup("/keys").WithTags("API keys");
        keys.MapGet("", Body(ApiKeyEndpoints.List)).WithName("ListApiKeys").Produces<Page<ApiKeyInfo>>().WithProblems();
        keys.MapPost("", Body(ApiKeyEndpoints.Create)).WithName("CreateApiKey")
            .Accepts<NewApiKey>("application/json").Produces<CreatedApiKey>(StatusCodes.Status201Created).WithProblems();
        keys.MapGet("/{keyId}", ApiKeyEndpoints.Get).WithName("GetApiKey").Produces<ApiKeyInfo>().WithProblems(404);
        keys.MapPost("/{keyId}/revoke", ApiKeyEndpoints.Revoke).WithName("RevokeApiKey").Produces<ApiKeyInfo>().WithProblems(404);

        var program = api.MapGroup("/program").WithTags("Program");
        program.MapGet("", Body(ProgramEndpoints.Get)).WithName("GetProgram").Produces<ProgramSummary>();
        program.MapPut("", Body(ProgramEndpoints.Publish)).WithName("PublishProgramVersion")
            .Accepts<ProgramDefinition>("application/json").Produces<ProgramSummary>().WithProblems(409);
        return app;
    }

    // Handlers that take only the HttpContext would bind as a RequestDelegate, whose Task<IResult> is discarded;
    // as a Delegate the minimal-API machinery writes the result.
    private static Delegate Body(Func<HttpContext, Task<IResult>> handler) => handler;

    private static RouteHandlerBuilder WithProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        builder.ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        foreach (var status in statuses)
            builder.ProducesProblem(status);
        return builder;
    }
}
