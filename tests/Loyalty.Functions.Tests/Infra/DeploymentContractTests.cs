using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Loyalty.Core.Application.Receipts;
using Loyalty.Functions.Receipts;
using Loyalty.Hosting;
using Loyalty.Storage.Repositories;
using Loyalty.Testing;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Loyalty.Functions.Tests.Infra;

/// <summary>
/// The deployment against the code: the ARM JSON that infra/main.bicep compiles to (as Azure would deploy it, module
/// parameters passed in), azure.yaml and host.json, held to the app's own names. Nothing here needs Azure. Values only
/// a deployment knows read as their source, e.g. {identity.outputs.clientId}.
/// </summary>
public sealed class DeploymentContractTests
{
    /// <summary>Settings the code reads that Azure leaves unset on purpose, each with the reason.</summary>
    private static readonly Dictionary<string, string> Unset = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Storage:ConnectionString"] = "account keys: shared-key access is off, so the code must use the service URIs and the identity",
        ["Storage:Prefix"] = "side-by-side environments on one account (tests)",
        ["Nightly:At"] = "the nightly review's local start time, with a default",
        ["MemberTokens:Lifetime"] = "member tokens live 30 minutes unless a deployment wants otherwise",
        ["MemberAuth:RequestsPerAddressPerHour"] = "the per-address rate limit of member verification, with a default",
    };

    private const string AppIdentityClientId = "{identity.outputs.clientId}";

    [Fact]
    public void Every_table_queue_and_container_the_code_uses_is_created_by_the_bicep()
    {
        var storage = Bicep.Main.Module("storage");
        var names = LoyaltyResources.Default;
        AssertCreated(names.Tables, "Microsoft.Storage/storageAccounts/tableServices/tables");
        AssertCreated(names.Queues, "Microsoft.Storage/storageAccounts/queueServices/queues");
        AssertCreated(names.Containers, "Microsoft.Storage/storageAccounts/blobServices/containers");

        void AssertCreated(IEnumerable<string> used, string type)
        {
            var created = storage.Resources(type).Select(LeafName).ToHashSet();
            var missing = used.Where(name => !created.Contains(name)).ToList();
            Assert.True(missing.Count == 0, $"The storage module creates {type} [{string.Join(", ", created.Order())}], but the code also uses: " +
                $"{string.Join(", ", missing)}.");
        }
    }

    [Fact]
    public void Every_setting_the_code_reads_in_Azure_is_an_app_setting_of_the_function_app()
    {
        var settings = AppSettings.Deployed();

        // What Loyalty.Hosting reads, recorded while it builds the backend from the app settings (Storage__X is Storage:X).
        var read = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var configuration = new ConfigurationBuilder()
            .Add(new RecordingSource(AppSettings.Resolved(), read))
            .Build();
        var services = new ServiceCollection().AddLoyaltyStorage(configuration).AddLoyaltyApplication(configuration).BuildServiceProvider();
        LoyaltyStorage? storage = null;
        var failure = Record.Exception(() => storage = services.GetRequiredService<LoyaltyStorage>());

        Assert.DoesNotContain("Storage__ConnectionString", settings.Keys);
        var missing = read.Where(key => !Unset.ContainsKey(key)).Select(key => key.Replace(":", "__")).Where(key => !settings.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0,
            $"The code reads {string.Join(", ", missing)}, which the function app's settings lack. Set it in infra/main.bicep, or list it in {nameof(Unset)} " +
                "with the reason Azure leaves it unset.");

        Assert.True(failure is null, $"Building the backend from the app settings failed: {failure}");

        // And it really used the service URIs and the identity the app settings name, not the local emulator.
        var worker = AppSettings.Resolved();
        Assert.Equal(new Uri(worker["Storage:TableServiceUri"]!), storage!.Account.TableEndpoint);
        Assert.Equal(new Uri(worker["Storage:QueueServiceUri"]!), storage.Account.QueueEndpoint);
        Assert.Equal(new Uri(worker["Storage:BlobServiceUri"]!), storage.Account.BlobEndpoint);
        Assert.Contains("Storage:ClientId", read, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("{storage.outputs.tableEndpoint}", Setting(settings, "Storage__TableServiceUri"));
        Assert.Equal(AppIdentityClientId, Setting(settings, "Storage__ClientId"));
    }

    [Fact]
    public void My_pages_key_less_sign_in_is_a_parameter_off_by_default()
    {
        Assert.Equal("", Setting(AppSettings.Deployed(), "MemberAuth__PagesProgramId"));
        Assert.Null(MemberAuthSettings.Pages(new ConfigurationBuilder().AddInMemoryCollection(AppSettings.Resolved()).Build()).ProgramId);
        var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "infra", "main.parameters.json"))).RootElement.GetProperty("parameters");
        Assert.Equal("${MEMBER_PAGES_PROGRAM_ID}", parameters.GetProperty("pagesProgramId").GetProperty("value").GetString());
    }

    [Fact]
    public void The_host_and_the_trigger_connect_and_send_telemetry_as_the_apps_identity()
    {
        var settings = AppSettings.Deployed();
        foreach (var connection in new[] { "AzureWebJobsStorage", ReceiptsTrigger.Connection })
        {
            Assert.Equal("managedidentity", Setting(settings, $"{connection}__credential"));
            Assert.Equal(AppIdentityClientId, Setting(settings, $"{connection}__clientId"));
        }
        Assert.Equal("{storage.outputs.name}", Setting(settings, "AzureWebJobsStorage__accountName"));
        Assert.Equal("{service-bus.outputs.fullyQualifiedNamespace}", Setting(settings, $"{ReceiptsTrigger.Connection}__fullyQualifiedNamespace"));
        Assert.Equal("{monitoring.outputs.applicationInsightsConnectionString}", Setting(settings, "APPLICATIONINSIGHTS_CONNECTION_STRING"));
        // Local (instrumentation-key) authentication is off on the component, so ingestion needs the identity.
        Assert.Equal($"ClientId={AppIdentityClientId};Authorization=AAD", Setting(settings, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
        Assert.Equal(true, Bicep.Main.Module("monitoring").Resources("Microsoft.Insights/components").Single().Get("properties.DisableLocalAuth"));

        var site = AppSettings.FunctionApp();
        var identities = Assert.IsType<Dictionary<string, object?>>(site.Get("identity.userAssignedIdentities"));
        Assert.Equal(["{identity.outputs.id}"], identities.Keys);
        Assert.Equal("{identity.outputs.id}", site.Get("properties.keyVaultReferenceIdentity")?.ToString());
    }

    [Fact]
    public void The_receipts_trigger_queue_exists_and_dead_letters_after_the_handlers_last_delivery()
    {
        var queues = Bicep.Main.Module("service-bus").Resources("Microsoft.ServiceBus/namespaces/queues").ToList();
        var queue = queues.SingleOrDefault(q => LeafName(q) == ReceiptsTrigger.Queue);
        Assert.True(queue is not null, $"The receipts trigger reads Service Bus queue '{ReceiptsTrigger.Queue}', which the Bicep does not create " +
            $"({string.Join(", ", queues.Select(LeafName))}).");
        Assert.True(queue.Get("properties.maxDeliveryCount") is long count && count == ReceiptMessageHandler.MaxDeliveries,
            $"The receipts queue dead-letters after {queue.Get("properties.maxDeliveryCount")} deliveries, but ReceiptMessageHandler gives up on delivery " +
                $"{ReceiptMessageHandler.MaxDeliveries}.");
        // POS systems resend receipts; Service Bus drops a repeated MessageId, and an expired message is kept, not lost.
        Assert.Equal(true, queue.Get("properties.requiresDuplicateDetection"));
        Assert.Equal(true, queue.Get("properties.deadLetteringOnMessageExpiration"));

        using var host = JsonDocument.Parse(Repo.Read("host.json"));
        Assert.False(host.RootElement.GetProperty("extensions").GetProperty("serviceBus").GetProperty("autoCompleteMessages").GetBoolean());
    }

    [Fact]
    public void The_compiled_receipts_trigger_names_the_shared_queue_and_connection_and_settles_itself()
    {
        // Where its package is not served the trigger is compiled out (LoyaltyServiceBusTrigger=false) and the
        // constants above are all there is to check; a publish refuses such a build.
        var compiled = typeof(ReceiptsTrigger).Assembly.GetType("Loyalty.Functions.Receipts.ReceiptsQueueFunction") is not null;
        var functions = FunctionsMetadata.OfTrigger("serviceBusTrigger").ToList();
        if (!compiled)
        {
            Assert.Empty(functions);
            return;
        }
        var function = Assert.Single(functions);
        Assert.Equal(ReceiptsTrigger.FunctionName, function.Name);
        var trigger = function.Trigger;
        Assert.Equal(ReceiptsTrigger.Queue, trigger.String("queueName"));
        Assert.Equal(ReceiptsTrigger.Connection, trigger.String("connection"));
        Assert.False(trigger.Raw.GetProperty("autoCompleteMessages").GetBoolean());
    }

    [Fact]
    public void The_azd_service_is_the_app_tagged_with_its_name()
    {
        var yaml = Repo.Read("azure.yaml");
        var services = Regex.Match(yaml, @"^services:\s*\n(?<body>(?:[ \t]+.*\n?|\s*\n)*)", RegexOptions.Multiline).Groups["body"].Value;
        // Beside the Functions app, azure.yaml deploys the pages (a static web app); the app is the service hosted as a function.
        var function = Assert.Single(Regex.Matches(services, @"^  (?<name>[A-Za-z0-9_-]+):\s*\n(?<body>(?:    .*\n?)*)", RegexOptions.Multiline),
            m => Regex.IsMatch(m.Groups["body"].Value, @"(?m)^\s+host:\s*function\s*$"));
        var name = function.Groups["name"].Value;
        var project = Regex.Match(function.Groups["body"].Value, @"(?m)^\s+project:\s*(?<path>\S+)\s*$").Groups["path"].Value;
        Assert.True(File.Exists(Path.Combine(Repo.Root, project, "Loyalty.Functions.csproj")), $"azure.yaml's project '{project}' is not the Functions app.");

        var tags = Assert.IsType<Dictionary<string, object?>>(AppSettings.FunctionApp().Get("tags"));
        Assert.True(tags.TryGetValue("azd-service-name", out var tagged), "The function app has no azd-service-name tag.");
        Assert.True(name == tagged as string, $"azure.yaml's service '{name}' must equal the app's azd-service-name tag '{tagged}': azd finds the app by it.");
    }

    [Fact]
    public void The_app_identity_holds_exactly_the_roles_it_needs()
    {
        var needed = new Dictionary<string, string>
        {
            ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor: the loyalty tables",
            ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor: receipts-poison, notifications",
            ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner: identity-based AzureWebJobsStorage, the deployment " +
                "package, the receipts archive",
            ["4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"] = "Azure Service Bus Data Receiver: the receipts trigger",
            ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher: telemetry with local auth disabled",
        };
        if (AppSettings.Deployed().Values.Any(value => value is string s && s.Contains(AppSettings.KeyVaultReference, StringComparison.Ordinal)))
            needed["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User: the app's Key Vault references";

        var assignments = Bicep.Main.Module("app-role-assignments").Resources("Microsoft.Authorization/roleAssignments").ToList();
        foreach (var assignment in assignments)
            Assert.Equal("{identity.outputs.principalId}", assignment.Get("properties.principalId")?.ToString());
        const string RoleDefinitions = "Microsoft.Authorization/roleDefinitions";
        var assigned = assignments.Select(a => a.Get("properties.roleDefinitionId") is ArmTemplate.ResourceRef { Type: RoleDefinitions } role
            ? role.Name
            : throw new Xunit.Sdk.XunitException($"A role assignment of the app names its role as {a.Get("properties.roleDefinitionId")}, not by " +
                "a built-in role definition id.")).ToList();

        var missing = needed.Where(role => !assigned.Contains(role.Key)).Select(role => $"{role.Key} ({role.Value})").ToList();
        Assert.True(missing.Count == 0, $"The app's identity lacks: {string.Join("; ", missing)}.");
        var extra = assigned.Where(id => !needed.ContainsKey(id)).ToList();
        Assert.True(extra.Count == 0, $"The app's identity also holds roles {string.Join(", ", extra)}, which nothing in the app needs.");
    }

    /// <summary>The last segment of a child resource's name (account/default/Programs is Programs).</summary>
    private static string LeafName(ArmTemplate.Resource resource) => resource.Name!.ToString()!.Split('/')[^1];

    private static string? Setting(Dictionary<string, object?> settings, string name) =>
        settings.TryGetValue(name, out var value) ? value?.ToString() : throw new Xunit.Sdk.XunitException($"The function app has no app setting {name}.");

    private sealed class RecordingSource(IDictionary<string, string?> values, ISet<string> read) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(values, read);

        private sealed class Provider : ConfigurationProvider
        {
            private readonly ISet<string> read;

            public Provider(IDictionary<string, string?> values, ISet<string> read)
            {
                this.read = read;
                foreach (var (key, value) in values) Data[key] = value;
            }

            public override bool TryGet(string key, out string? value)
            {
                lock (read) read.Add(key);
                return base.TryGet(key, out value);
            }
        }
    }
}
