using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Members;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

internal sealed class SelfService(MemberService members, MemberAuthService codes, IPrivacyStore records, ICampaignStore campaignStore)
    : ISelfService
{
    public async Task<Result<MemberOffers>> OffersAsync(LoadedProgram program, string memberId, CancellationToken cancellationToken)
    {
        var details = await members.GetAsync(program, memberId, cancellationToken);
        if (!details.IsValid) return Result<MemberOffers>.Fail(details.Errors);
        var deliveries = (await records.ListOperationsAsync(program.Member(memberId), CampaignDispatch.OperationPrefix, cancellationToken))
            .Select(r => (Record: r, CampaignId: CampaignDispatch.TryParseOperation(r.Id, out var campaignId, out _) ? campaignId : null))
            .Where(d => d.CampaignId is not null)
            .ToList();
        // One read per campaign, not per delivery: a weekly campaign leaves a record a week.
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var campaignId in deliveries.Select(d => d.CampaignId!).Distinct(StringComparer.Ordinal))
            names[campaignId] = (await campaignStore.GetAsync(program.Settings.ProgramId, campaignId, cancellationToken))?.Value.Definition.Name;
        return new MemberOffers(details.Value.View.OpenVouchers,
            [.. deliveries.Select(d =>
                new CampaignOffer(d.Record.Id, d.CampaignId!, names[d.CampaignId!], d.Record.Outcome.PointsEarned, d.Record.Outcome.VouchersIssued))]);
    }

    public Task<Result<Outcome>> ChooseVoucherAsync(LoadedProgram program, string memberId, string requestId, decimal value,
        CancellationToken cancellationToken) =>
        members.ChooseVoucherAsync(program, memberId, requestId, value, VoucherRequester.App, cancellationToken);

    public Task<Result<ContactUpdate>> UpdateContactAsync(LoadedProgram program, string memberId, UpdateContact request, string clientAddress,
        CancellationToken cancellationToken) =>
        members.UpdateOwnContactAsync(program, memberId, request,
            identity => codes.RequestContactCodeAsync(program, memberId, identity, clientAddress, cancellationToken), cancellationToken);

    public Task<Result<MemberDetails>> ConfirmContactAsync(LoadedProgram program, string memberId, ContactConfirmation request, string clientAddress,
        CancellationToken cancellationToken) =>
        members.ConfirmOwnContactAsync(program, memberId, request.Phone, request.Email,
            identity => codes.ConfirmContactAsync(program.Settings.ProgramId, memberId, identity, request.Code, clientAddress, cancellationToken),
            cancellationToken);
}
