using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Application.Statistics;

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
    IJobProgressStore JobProgress,
    IMemberAuthStore MemberAuth,
    IAuditLog Audit,
    IPrivacyStore Privacy,
    IExportStore Exports,
    ICampaignExports CampaignExports,
    ICampaignStore Campaigns,
    ICampaignDeliveries CampaignDeliveries,
    IFiguresStore Figures);

/// <summary>The application services over one set of ports, sharing one program cache.</summary>
/// <param name="Nightly">The nightly tier evaluation: what a host's timer calls (<see cref="NightlyReview.RunDueAsync"/> locally; plan, shard and complete activities under a Durable orchestration).</param>
/// <param name="MemberAuth">One-time codes and member tokens.</param>
/// <param name="Campaigns">Segments and campaigns for marketers.</param>
/// <param name="CampaignScheduler">What a host's timer calls to start campaign runs at their time (<see cref="CampaignScheduler.RunDueAsync"/> locally; the fan-out's plan, shard and complete activities under a Durable orchestration).</param>
/// <param name="Privacy">GDPR export and erasure, and the audit trail of reads of personal data.</param>
/// <param name="Demo">The demo program, members and keys that <c>./run</c> and <c>loyalty demo seed</c> create.</param>
/// <param name="Restarts">The attempts a Durable host starts at a sharded job's run, and whether a failing one may be started again.</param>
/// <param name="Figures">The program's dashboard figures, from the nightly review's counts.</param>
public sealed record LoyaltyServices(
    IMemberService Members, IProgramService Programs, IApiKeyService ApiKeys, IReceiptService Receipts, OutboxSweep Outbox, NightlyReview Nightly,
    IMemberAuthService MemberAuth, IPrivacyService Privacy, ISelfService SelfService,
    ICampaignService Campaigns, CampaignScheduler CampaignScheduler, DemoData Demo, JobRestarts Restarts, FiguresService Figures)
{
    /// <param name="schedule">When each program's nightly review falls due; <see cref="NightlySchedule.Default"/> (02:00 local) if null.</param>
    /// <param name="memberAuth">Keys and limits of member verification; <see cref="MemberAuthOptions.Development"/> if null.</param>
    public static LoyaltyServices Create(LoyaltyPorts ports, TimeProvider time, NightlySchedule? schedule = null, MemberAuthOptions? memberAuth = null)
    {
        var cache = new ProgramCache(ports.Programs, time);
        var authOptions = memberAuth ?? MemberAuthOptions.Development();
        var continuations = new Continuations(authOptions.Keys.Derive("continuations"));
        var identities = new IdentityClaims(ports.Identities, ports.Members, time);
        var commits = new MemberCommits(ports.Members, ports.Notifications, time);
        var receipts = new ReceiptService(ports.Members, identities, ports.ParkedReceipts, ports.ReceiptClaims, ports.ReceiptArchive, commits, cache,
            new CampaignResponses(ports.Campaigns, ports.CampaignDeliveries), ports.Audit, continuations, time);
        var members = new MemberService(ports.Members, identities, commits, receipts, cache, ports.Audit, continuations, time);
        var programs = new ProgramService(ports.Programs, cache, time);
        var apiKeys = new ApiKeyService(ports.ApiKeys, cache, continuations, time);
        var auth = new MemberAuthService(authOptions, ports.MemberAuth, identities, ports.Members, ports.Notifications, cache, time);
        return new LoyaltyServices(
            members,
            programs,
            apiKeys,
            receipts,
            new OutboxSweep(ports.Programs, ports.Members, ports.Notifications, time),
            new NightlyReview(ports.Programs, cache, ports.Members, ports.Reviews, ports.JobProgress, ports.Notifications, time,
                schedule ?? NightlySchedule.Default, ports.Figures),
            auth,
            new PrivacyService(cache, ports, identities, auth, continuations, time),
            new SelfService(members, auth, ports.Privacy, ports.Campaigns, cache),
            new CampaignService(cache, ports.Members, ports.Campaigns, ports.CampaignDeliveries, ports.JobProgress, time),
            new CampaignScheduler(ports.Programs, cache, ports.Campaigns,
                scheduler => new CampaignFanOut(scheduler, cache, ports.Members, ports.Campaigns, ports.CampaignDeliveries, ports.JobProgress, ports.Notifications, time), time),
            new DemoData(programs, members, apiKeys, ports.JobProgress, time),
            new JobRestarts(ports.JobProgress, time),
            new FiguresService(cache, ports.Figures, time));
    }
}
