using Loyalty.Core.Application.MemberAuth;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Loyalty.Functions.Startup;

/// <summary>
/// Creates the tables, queues and containers that do not exist yet (<see cref="LoyaltyStorage.EnsureCreatedAsync"/>),
/// as the local host does before it starts. The Bicep already creates every one of them (a test checks), so this is a
/// safety net: it runs in the background, so it never delays the worker's start, and a failure (for instance role
/// assignments still propagating on the first start) is logged, not fatal.
/// </summary>
public sealed class StorageStartup(LoyaltyStorage storage, MemberAuthOptions memberAuth, ILogger<StorageStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (memberAuth.EphemeralKeys)
            logger.LogWarning("MemberTokens__SigningKey is not set: each instance signs member tokens with its own random key, so tokens fail on other " +
                "instances and after a restart.");
        try
        {
            await storage.EnsureCreatedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Creating missing tables, queues and containers failed; the app carries on with what exists.");
        }
    }
}
