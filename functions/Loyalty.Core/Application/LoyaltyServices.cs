using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;

namespace Loyalty.Core.Application;

/// <summary>What the application needs from storage and messaging; the hosts' storage layer provides it.</summary>
public sealed record LoyaltyPorts(
    IProgramStore Programs,
    IMemberStore Members,
    IIdentityStore Identities,
    IApiKeyStore ApiKeys,
    IParkedReceiptStore ParkedReceipts,
    IReceiptClaims ReceiptClaims,
    IReceiptArchive ReceiptArchive,
    INotificationQueue Notifications,
    IReviewStore Reviews,
    IJobProgressStore JobProgress);

/// <summary>The application services over one set of ports, sharing one program cache.</summary>
/// <param name="Nightly">The nightly tier evaluation: what a host's timer calls (<see cref="NightlyReview.RunDueAsync"/> locally; plan, shard and complete activities under a Durable orchestration).</param>
public sealed record LoyaltyServices(IMemberService Members, IProgramService Programs, IApiKeyService ApiKeys, IReceiptService Receipts, OutboxSweep Outbox, NightlyReview Nightly)
{
    /// <param name="schedule">When each program's nightly review falls due; <see cref="NightlySchedule.Default"/> (02:00 local) if null.</param>
    public static LoyaltyServices Create(LoyaltyPorts ports, TimeProvider time, NightlySchedule? schedule = null)
    {
        var cache = new ProgramCache(ports.Programs, time);
        var identities = new IdentityClaims(ports.Identities, ports.Members, time);
        var commits = new MemberCommits(ports.Members, ports.Notifications, time);
        var receipts = new ReceiptService(ports.Members, identities, ports.ParkedReceipts, ports.ReceiptClaims, ports.ReceiptArchive, commits, cache, time);
        return new LoyaltyServices(
            new MemberService(ports.Members, identities, commits, receipts, cache, time),
            new ProgramService(ports.Programs, cache, time),
            new ApiKeyService(ports.ApiKeys, cache, time),
            receipts,
            new OutboxSweep(ports.Programs, ports.Members, commits, time),
            new NightlyReview(ports.Programs, cache, ports.Members, ports.Reviews, ports.JobProgress, ports.Notifications, commits, time, schedule ?? NightlySchedule.Default));
    }
}
