namespace Loyalty.Core.Application.Ports;

/// <summary>
/// Who got which run of a campaign (the CampaignDeliveries table), the audience files for the e-mail/SMS provider
/// (NDJSON in Blob storage) and the responses (coupon redemptions, purchases attributed to a delivery). Every write is
/// keyed by what it records, so writing it again after a crash or retry changes nothing.
/// </summary>
public interface ICampaignDeliveries
{
    /// <summary>Records deliveries of a run in one shard (a member recorded twice is still one row).</summary>
    Task RecordAsync(CampaignRun run, int shard, IReadOnlyList<DeliveryRecord> deliveries, CancellationToken cancellationToken);

    /// <summary>A run's deliveries in one shard, in member-id order.</summary>
    Task<IReadOnlyList<DeliveryRecord>> ListAsync(CampaignRun run, int shard, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one part of a shard's audience as NDJSON; the name is derived from run, shard and part, so writing the same
    /// part again replaces it. Returns the blob's name.
    /// </summary>
    Task<string> ExportAsync(CampaignRun run, int shard, string part, IReadOnlyList<AudienceLine> lines, CancellationToken cancellationToken);

    /// <summary>The audience files written for a campaign (every run), for operators and for erasure requests.</summary>
    Task<IReadOnlyList<string>> ListExportsAsync(string programId, string campaignId, CancellationToken cancellationToken);

    /// <summary>Records a response; the same receipt recorded again for the same campaign and kind is one response.</summary>
    Task RecordResponseAsync(string programId, CampaignResponse response, CancellationToken cancellationToken);

    Task<IReadOnlyList<CampaignResponse>> ListResponsesAsync(string programId, string campaignId, CancellationToken cancellationToken);
}

/// <summary>One occurrence of a campaign: the program, the campaign and the run id (the occurrence's local date-time).</summary>
public sealed record CampaignRun(string ProgramId, string CampaignId, string RunId)
{
    public override string ToString() => $"{ProgramId}/{CampaignId}/{RunId}";
}

/// <param name="Offer">What the member got: the coupon code, the voucher id or "{n} points"; null for a message only.</param>
public sealed record DeliveryRecord(string MemberId, string Channel, DateTimeOffset At, string? Offer);

/// <summary>
/// One line of an audience file: who to send what to. <see cref="To"/> is the e-mail address or phone number for those
/// channels (null for push, which goes by member id). Personal data: erasure requests list these files.
/// </summary>
public sealed record AudienceLine(string MemberId, string Channel, string? To, string? FirstName, string Message, string? Offer);

public enum ResponseKind
{
    /// <summary>A receipt carried the campaign's coupon code.</summary>
    Redemption,

    /// <summary>A member who got the campaign bought within its attribution window.</summary>
    Attributed,
}

public sealed record CampaignResponse(string CampaignId, ResponseKind Kind, string ReceiptId, string? MemberId, decimal Amount, DateTimeOffset At);
