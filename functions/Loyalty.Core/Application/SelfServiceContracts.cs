using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Application;

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
