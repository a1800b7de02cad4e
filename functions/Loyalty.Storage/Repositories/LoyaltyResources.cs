namespace Loyalty.Storage.Repositories;

/// <summary>
/// The names of every table, queue and container the product uses; tests and side-by-side environments give each
/// their own with <see cref="WithPrefix"/>. The Bicep in infra/ creates the default names (a test checks they agree).
/// </summary>
public sealed record LoyaltyResources
{
    public string Programs { get; init; } = "Programs";
    public string ApiKeys { get; init; } = "ApiKeys";
    public string Members { get; init; } = "Members";
    public string Identities { get; init; } = "Identities";
    public string ParkedReceipts { get; init; } = "ParkedReceipts";

    /// <summary>Progress of sharded jobs (the nightly review): one row per shard and run, for resuming and for status.</summary>
    public string JobProgress { get; init; } = "JobProgress";
    public string ReceiptClaims { get; init; } = "ReceiptClaims";

    /// <summary>One-time codes (as HMACs) and rate counters of member verification.</summary>
    public string MemberAuth { get; init; } = "MemberAuth";

    /// <summary>Who read, exported or erased a member's personal data, when and why.</summary>
    public string Audit { get; init; } = "Audit";

    /// <summary>Campaigns, their coupon-code claims and named segments, one partition per program.</summary>
    public string Campaigns { get; init; } = "Campaigns";

    /// <summary>Who got which campaign run (exactly once per member), and coupon redemptions and attributed purchases.</summary>
    public string CampaignDeliveries { get; init; } = "CampaignDeliveries";

    /// <summary>The nightly review's count of every shard (members per tier, points, vouchers, totals): the dashboard's figures.</summary>
    public string ProgramFigures { get; init; } = "ProgramFigures";

    /// <summary>POS receipt messages (<c>loyalty.receipt.v1</c>), read by the local queue worker.</summary>
    public string ReceiptsQueue { get; init; } = "receipts";

    /// <summary>Receipt messages that could not be applied, each with the reason.</summary>
    public string ReceiptsPoisonQueue { get; init; } = "receipts-poison";

    /// <summary>Member notifications (<c>loyalty.notification.v1</c>) for the e-mail/SMS/push sender.</summary>
    public string NotificationsQueue { get; init; } = "notifications";

    /// <summary>Raw receipt payloads, for audit and replay.</summary>
    public string ReceiptsContainer { get; init; } = "receipts";

    /// <summary>GDPR export documents, per program and member; erasure deletes a member's.</summary>
    public string ExportsContainer { get; init; } = "exports";

    /// <summary>Campaign audience files (NDJSON per shard) for the e-mail/SMS provider.</summary>
    public string CampaignsContainer { get; init; } = "campaigns";

    public static LoyaltyResources Default { get; } = new();

    /// <summary>
    /// Every name behind a prefix (letters and digits): tables get it as is ("staging" gives "stagingMembers"),
    /// queues and containers lower-cased with a hyphen ("staging-receipts"), as their naming rules require.
    /// </summary>
    public static LoyaltyResources WithPrefix(string prefix)
    {
        var lower = prefix.ToLowerInvariant() + "-";
        return new LoyaltyResources
        {
            Programs = $"{prefix}Programs",
            ApiKeys = $"{prefix}ApiKeys",
            Members = $"{prefix}Members",
            Identities = $"{prefix}Identities",
            ParkedReceipts = $"{prefix}ParkedReceipts",
            JobProgress = $"{prefix}JobProgress",
            ReceiptClaims = $"{prefix}ReceiptClaims",
            MemberAuth = $"{prefix}MemberAuth",
            Audit = $"{prefix}Audit",
            Campaigns = $"{prefix}Campaigns",
            CampaignDeliveries = $"{prefix}CampaignDeliveries",
            ProgramFigures = $"{prefix}ProgramFigures",
            ReceiptsQueue = lower + Default.ReceiptsQueue,
            ReceiptsPoisonQueue = lower + Default.ReceiptsPoisonQueue,
            NotificationsQueue = lower + Default.NotificationsQueue,
            ReceiptsContainer = lower + Default.ReceiptsContainer,
            ExportsContainer = lower + Default.ExportsContainer,
            CampaignsContainer = lower + Default.CampaignsContainer,
        };
    }

    public IEnumerable<string> Tables =>
        [Programs, ApiKeys, Members, Identities, ParkedReceipts, ReceiptClaims, JobProgress, Campaigns, CampaignDeliveries, MemberAuth, Audit, ProgramFigures];

    public IEnumerable<string> Queues => [ReceiptsQueue, ReceiptsPoisonQueue, NotificationsQueue];

    public IEnumerable<string> Containers => [ReceiptsContainer, CampaignsContainer, ExportsContainer];
}
