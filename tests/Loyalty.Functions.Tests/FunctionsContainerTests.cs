using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application;
using Loyalty.Functions.Tests.Infra;
using Loyalty.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Loyalty.Functions.Tests;

/// <summary>
/// The container Program.cs builds, from the app settings infra/main.bicep gives the Function App (identity-based
/// storage and Service Bus, service URIs, a Key Vault reference): "works locally, dies on start in Azure" caught here.
/// Nothing in it may need the network to be constructed; these hosts point at storage that does not exist.
/// </summary>
public sealed class FunctionsContainerTests
{
    [Fact]
    public void Every_function_class_and_everything_the_handlers_resolve_is_built_from_the_bicep_settings()
    {
        var registrations = new List<ServiceDescriptor>();
        using var host = FunctionsHost.Build(AppSettings.Resolved(), registrations);
        Assert.NotEmpty(FunctionsHost.FunctionClasses);
        using var scope = host.Services.CreateScope();
        foreach (var type in FunctionsHost.FunctionClasses)
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));

        // What handlers and triggers resolve at their first call (ours: the backend and its services, API-key
        // authentication, …), and what the host resolves as it starts.
        var ours = registrations.Select(r => r.ServiceType)
            .Where(t => t.Assembly.GetName().Name!.StartsWith("Loyalty.", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Contains(typeof(IMemberService), ours);
        Assert.Contains(typeof(IMemberStore), ours);
        foreach (var service in ours)
            Assert.True(scope.ServiceProvider.GetService(service) is not null, $"{service} did not resolve.");
        Assert.Contains(host.Services.GetServices<IHostedService>(), service => service is Startup.StorageStartup);

        // The resolved Key Vault secret signs member tokens; without it each instance would make up its own key.
        Assert.False(host.Services.GetRequiredService<MemberAuthOptions>().EphemeralKeys);
    }

    /// <summary>
    /// Where the platform could not resolve the reference (the identity lacks access to the vault) the worker would see
    /// the reference's text, a public string: the app refuses to start with the reason rather than sign tokens with it.
    /// </summary>
    [Fact]
    public void An_unresolved_key_vault_reference_stops_the_app_at_start_with_the_reason()
    {
        var settings = AppSettings.Unresolved();
        Assert.StartsWith("@Microsoft.KeyVault(", settings["MemberTokens:SigningKey"]);
        using var host = FunctionsHost.Build(settings);
        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetServices<IHostedService>().ToList());
        Assert.Contains("Key Vault reference", error.Message, StringComparison.Ordinal);
    }
}
