using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Members;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Application;

/// <summary>What a member does for themselves with a member token, beyond what the till does for them.</summary>
public interface ISelfService
{
    /// <summary>Open vouchers, and what campaigns gave the member (operations "campaign:…" in the member's history).</summary>
    Task<Result<MemberOffers>> OffersAsync(string programId, string memberId, CancellationToken cancellationToken);

    /// <summary>
    /// A voucher of a program denomination for points, as at the till; the app's request ids live apart from the tills'
    /// (the operation is "app:{requestId}", a till's "till:{requestId}"), so the two can never answer each other's retries.
    /// </summary>
    Task<Result<Outcome>> ChooseVoucherAsync(string programId, string memberId, string requestId, decimal value, CancellationToken cancellationToken);

    /// <summary>
    /// The member's own contact details: names, birth date, interests, consents (source "member") and clearing a phone
    /// or e-mail apply at once; a new phone or e-mail is only pending: a code goes to it, and nothing about it changes
    /// (it is not claimed, parked receipts stay parked) until <see cref="ConfirmContactAsync"/>.
    /// </summary>
    Task<Result<ContactUpdate>> UpdateContactAsync(string programId, string memberId, UpdateContact request, string clientAddress, CancellationToken cancellationToken);

    /// <summary>Makes a pending phone or e-mail the member's, with the code sent to it.</summary>
    Task<Result<MemberDetails>> ConfirmContactAsync(string programId, string memberId, ContactConfirmation request, string clientAddress, CancellationToken cancellationToken);
}

/// <summary>One of <see cref="Phone"/> and <see cref="Email"/>, as in the change, and the code sent to it.</summary>
public sealed record ContactConfirmation
{
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? Code { get; init; }
}

public sealed record MemberOffers(IReadOnlyList<Voucher> Vouchers, IReadOnlyList<CampaignOffer> Campaigns);

/// <param name="OperationId">"campaign:…", the campaign delivery that gave it.</param>
/// <param name="CampaignName">What a clerk or the member reads; null when the campaign is no longer stored.</param>
public sealed record CampaignOffer(string OperationId, string CampaignId, string? CampaignName, long PointsEarned, IReadOnlyList<Voucher> VouchersIssued);

internal sealed class SelfService(MemberService members, MemberAuthService codes, IPrivacyStore records, ICampaignStore campaignStore, ProgramCache programs)
    : ISelfService
{
    public async Task<Result<MemberOffers>> OffersAsync(string programId, string memberId, CancellationToken cancellationToken)
    {
        var details = await members.GetAsync(programId, memberId, cancellationToken);
        if (!details.IsValid) return Result<MemberOffers>.Fail(details.Errors);
        var program = (await programs.GetAsync(programId, cancellationToken))!;
        var deliveries = (await records.ListOperationsAsync(program.Member(memberId), CampaignDispatch.OperationPrefix, cancellationToken))
            .Select(r => (Record: r, CampaignId: CampaignDispatch.TryParseOperation(r.Id, out var campaignId, out _) ? campaignId : null))
            .Where(d => d.CampaignId is not null)
            .ToList();
        // One read per campaign, not per delivery: a weekly campaign leaves a record a week.
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var campaignId in deliveries.Select(d => d.CampaignId!).Distinct(StringComparer.Ordinal))
            names[campaignId] = (await campaignStore.GetAsync(programId, campaignId, cancellationToken))?.Value.Definition.Name;
        return new MemberOffers(details.Value.View.OpenVouchers,
            [.. deliveries.Select(d =>
                new CampaignOffer(d.Record.Id, d.CampaignId!, names[d.CampaignId!], d.Record.Outcome.PointsEarned, d.Record.Outcome.VouchersIssued))]);
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
