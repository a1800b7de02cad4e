using Loyalty.Core.Application.Identities;
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
    IReceiptArchive ReceiptArchive,
    INotificationQueue Notifications);

/// <summary>The application services over one set of ports, sharing one program cache.</summary>
public sealed record LoyaltyServices(IMemberService Members, IProgramService Programs, IApiKeyService ApiKeys, IReceiptService Receipts, OutboxSweep Outbox)
{
    public static LoyaltyServices Create(LoyaltyPorts ports, TimeProvider time)
    {
        var cache = new ProgramCache(ports.Programs, time);
        var identities = new IdentityClaims(ports.Identities, ports.Members, time);
        var commits = new MemberCommits(ports.Members, ports.Notifications, time);
        var receipts = new ReceiptService(ports.Members, identities, ports.ParkedReceipts, ports.ReceiptArchive, commits, cache, time);
        return new LoyaltyServices(
            new MemberService(ports.Members, identities, commits, receipts, cache, time),
            new ProgramService(ports.Programs, cache, time),
            new ApiKeyService(ports.ApiKeys, cache, time),
            receipts,
            new OutboxSweep(ports.Programs, ports.Members, commits));
    }
}
