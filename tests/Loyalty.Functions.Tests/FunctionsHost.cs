using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Loyalty.Functions.Tests;

/// <summary>The worker's host as Program.cs builds it (<see cref="FunctionsApp.Configure"/>), from given settings, built but not started.</summary>
public static class FunctionsHost
{
    /// <summary>Every class the worker instantiates to invoke a function: those with an instance method marked [Function].</summary>
    public static IReadOnlyList<Type> FunctionClasses { get; } =
    [
        .. typeof(FunctionsApp).Assembly.GetTypes().Where(type => type
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Any(method => method.GetCustomAttribute<FunctionAttribute>() is not null)),
    ];

    /// <summary>What the Functions host hands the worker it starts (where its gRPC endpoint is); nothing connects to it here.</summary>
    private static readonly Dictionary<string, string?> FromTheFunctionsHost = new()
    {
        ["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:49999",
        ["Functions:Worker:WorkerId"] = Guid.NewGuid().ToString(),
        ["Functions:Worker:RequestId"] = Guid.NewGuid().ToString(),
        ["Functions:Worker:GrpcMaxMessageLength"] = "2147483647",
    };

    /// <summary>
    /// Validates every registration on build and every scope on use, which the worker does not do in production: a
    /// registration that cannot be built fails here rather than at the first invocation in Azure.
    /// </summary>
    /// <param name="registrations">Filled with the registrations the container was built from.</param>
    /// <param name="time">The clock of the app's services in place of the system's.</param>
    public static IHost Build(IReadOnlyDictionary<string, string?> settings, List<ServiceDescriptor>? registrations = null, TimeProvider? time = null)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(FromTheFunctionsHost);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        FunctionsApp.Configure(builder);
        if (time is not null) builder.Services.AddSingleton(time);
        registrations?.AddRange(builder.Services);
        return builder.Build();
    }
}
