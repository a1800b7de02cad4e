using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Members;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Application;

internal sealed class SelfService(MemberService members, MemberAuthService codes, IPrivacyStore records, ProgramCache programs) : ISelfService
{
    public const string CampaignOperations = "campaign:";

    public async Task<Result<MemberOffers>> OffersAsync(string programId, string memberId, CancellationToken cancellationToken)
    {
        var details = await members.GetAsync(programId, memberId, cancellationToken);
        if (!details.IsValid) return Result<MemberOffers>.Fail(details.Errors);
        var program = (await programs.GetAsync(programId, cancellationToken))!;
        var campaigns = await records.ListOperationsAsync(program.Member(memberId), CampaignOperations, cancellationToken);
        return new MemberOffers(details.Value.View.OpenVouchers,
            [.. campaigns.Select(r => new CampaignOffer(r.Id, r.Outcome.PointsEarned, r.Outcome.VouchersIssued))]);
    }

    public Task<Result<Outcome>> ChooseVoucherAsync(string programId, string memberId, string requestId, decimal value, CancellationToken cancellationToken) =>
        members.ChooseVoucherAsync(programId, memberId, requestId, value, VoucherRequester.App, cancellationToken);

    public Task<Result<ContactUpdate>> UpdateContactAsync(string programId, string memberId, UpdateContact request, string clientAddress, CancellationToken cancellationToken) =>
        members.UpdateOwnContactAsync(programId, memberId, request,
            (program, identity) => codes.RequestContactCodeAsync(program, memberId, identity, clientAddress, cancellationToken), cancellationToken);

    public Task<Result<MemberDetails>> ConfirmContactAsync(string programId, string memberId, ContactConfirmation request, string clientAddress, CancellationToken cancellationToken) =>
        members.ConfirmOwnContactAsync(programId, memberId, request.Phone, request.Email,
            identity => codes.ConfirmContactAsync(programId, memberId, identity, request.Code, clientAddress, cancellationToken), cancellationToken);
}
