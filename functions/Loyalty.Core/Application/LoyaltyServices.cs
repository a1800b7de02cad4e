using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application;

/// <summary>The application services over one set of stores, sharing one program cache.</summary>
public sealed record LoyaltyServices(IMemberService Members, IProgramService Programs, IApiKeyService ApiKeys)
{
    public static LoyaltyServices Create(IProgramStore programs, IMemberStore members, IIdentityStore identities, IApiKeyStore apiKeys, TimeProvider time)
    {
        var cache = new ProgramCache(programs, time);
        return new LoyaltyServices(
            new MemberService(members, identities, cache, time),
            new ProgramService(programs, cache, time),
            new ApiKeyService(apiKeys, cache, time));
    }
}
