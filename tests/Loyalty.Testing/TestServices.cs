using Loyalty.Core.Application;
using Loyalty.Storage.Accounts;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Testing;

public static class TestServices
{
    /// <summary>
    /// A container as the hosts build it (<c>AddLoyaltyStorage</c>, <c>AddLoyaltyApplication</c>) over the given storage and
    /// clock; <paramref name="replace"/> registers what a test substitutes (a failing port, other options), which wins.
    /// </summary>
    public static IServiceProvider Create(StorageAccount account, LoyaltyResources names, TimeProvider time, Action<IServiceCollection>? replace = null)
    {
        var services = new ServiceCollection().AddSingleton(time).AddLoyaltyStorage(account, names).AddLoyaltyApplication();
        replace?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>A second container over the storage of <paramref name="host"/> (another host, or the same one with a substitute).</summary>
    public static IServiceProvider Create(IServiceProvider host, TimeProvider time, Action<IServiceCollection>? replace = null)
    {
        var storage = host.GetRequiredService<LoyaltyStorage>();
        return Create(storage.Account, storage.Names, time, replace);
    }
}
