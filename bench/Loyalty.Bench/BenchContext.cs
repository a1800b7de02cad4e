using Microsoft.Extensions.DependencyInjection;
using Loyalty.Bench.Infra;
using Loyalty.Core.Application;
using Loyalty.HostProcess;
using Loyalty.Storage.Accounts;
using Loyalty.Storage.Repositories;
using Spectre.Console;

namespace Loyalty.Bench;

/// <summary>What every scenario of one run shares: the scale, the report, the Azurite and the CPU accounting.</summary>
public sealed class BenchContext(Scale scale, Report report, AzuriteServer? azurite, int receiptsPerMessage, IReadOnlyDictionary<string,
    string> hostEnvironment) : IAsyncDisposable
{
    /// <summary>Distinguishes this run's tables and queues from any other run's on a shared Azurite.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..6];

    public Scale Scale { get; } = scale;
    public Report Report { get; } = report;
    /// <summary>The storage of this run; the domain scenario runs without one.</summary>
    public AzuriteServer Azurite => azurite ?? throw new InvalidOperationException("This scenario runs without storage.");
    public int ReceiptsPerMessage { get; } = receiptsPerMessage;

    /// <summary>The local host being measured, if one runs now (its CPU is accounted separately).</summary>
    public LocalHostProcess? Host { get; set; }

    public CpuMonitor Cpu => new(() => azurite?.ProcessIds ?? [], () => Host is { HasExited: false } h ? h.ProcessId : null);

    public bool Tiny => Scale.Name == ScaleName.Tiny;

    /// <summary>ingest --http-only: skip the queue path (for quick experiments on the HTTP path).</summary>
    public bool HttpOnly { get; init; }

    /// <summary>Letters and digits only, so it works for table names as well as (lower-cased) queue names.</summary>
    public string Prefix(string scenario) => $"b{RunId}{scenario}";

    /// <summary>A storage account for this run's Azurite, optionally counting every request it sends.</summary>
    public StorageAccount Account(RequestCounter? counter = null)
    {
        var account = StorageAccount.FromConnectionString(Azurite.ConnectionString,
            counter is null ? null : options => options.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall));
        if (counter is not null)
        {
            counter.TablePort = account.TableEndpoint.Port;
            counter.QueuePort = account.QueueEndpoint.Port;
        }
        return account;
    }

    /// <summary>The product's own stores and services over the scenario's tables, as the hosts wire them.</summary>
    /// <param name="time">The services' clock; the system's if null.</param>
    public async Task<(LoyaltyStorage Storage, IServiceProvider Services)> ServicesAsync(
        string prefix, RequestCounter? counter = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var services = new ServiceCollection().AddSingleton(time ?? TimeProvider.System)
            .AddLoyaltyStorage(Account(counter), LoyaltyResources.WithPrefix(prefix)).AddLoyaltyApplication().BuildServiceProvider();
        var storage = services.GetRequiredService<LoyaltyStorage>();
        await storage.EnsureCreatedAsync(cancellationToken);
        return (storage, services);
    }

    /// <summary>Starts the local host on this run's Azurite and the scenario's tables (started before seeding, so its start-up sweep finds nothing).</summary>
    public async Task<LocalHostProcess> StartHostAsync(
        string scenario, string prefix, IReadOnlyDictionary<string, string>? extra, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Storage__ConnectionString"] = Azurite.ConnectionString,
            ["Storage__Prefix"] = prefix,
            // The outbox sweep is crash recovery that scans every shard; at its default 5 minutes it would land inside a
            // measurement of a long run. Receipts deliver their own notifications, so a sweep would find nothing anyway.
            ["Notifications__SweepInterval"] = "01:00:00",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>()) settings[name] = value;
        foreach (var (name, value) in hostEnvironment) settings[name] = value;
        if (hostEnvironment.Count > 0)
            Report.Detail(scenario, "local host environment overrides (--host-env)", string.Join(", ", hostEnvironment.Select(kv => $"{kv.Key}={kv.Value}")));
        var host = await Ui.StatusAsync("starting the local host (Loyalty.Local.dll)", () =>
            LocalHostProcess.StartListeningAsync(settings, TimeSpan.FromSeconds(60), cancellationToken));
        Host = host;
        AnsiConsole.MarkupLine($"[grey]local host pid {host.ProcessId} at {host.Address}[/]");
        return host;
    }

    /// <summary>
    /// Stops the host and deletes the scenario's tables, queues and containers, so the next scenario of the run meets an
    /// emulator the size it would meet alone (Azurite's costs grow with what it stores).
    /// </summary>
    public async Task CleanUpAsync(LoyaltyStorage storage, CancellationToken cancellationToken)
    {
        if (Host is not null) await Host.DisposeAsync();
        Host = null;
        var account = storage.Account;
        await Task.WhenAll(
            storage.Names.Tables.Select(Task (name) => account.GetTable(name).DeleteAsync(cancellationToken))
                .Concat(storage.Names.Queues.Select(Task (name) => account.GetQueue(name).DeleteIfExistsAsync(cancellationToken)))
                .Concat(storage.Names.Containers.Select(Task (name) => account.GetContainer(name).DeleteIfExistsAsync(cancellationToken: cancellationToken))));
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
        if (azurite is not null) await azurite.DisposeAsync();
    }
}
