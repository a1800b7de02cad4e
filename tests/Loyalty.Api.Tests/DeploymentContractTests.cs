using Loyalty.Testing;
using System.Text.Json;
using System.Text.RegularExpressions;
using Loyalty.Core.Application.Receipts;
using Loyalty.Hosting;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>
/// The deployment (infra/*.bicep, azure.yaml, host.json) against the code, read as text: nothing here needs Azure.
/// The Functions app cannot be compiled on the build machines, so its sources are read as text too.
/// </summary>
public sealed class DeploymentContractTests
{
    private static readonly Bicep Main = Bicep.Load("infra/main.bicep");

    /// <summary>Settings the code reads that Azure leaves unset on purpose, each with the reason.</summary>
    private static readonly Dictionary<string, string> Unset = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Storage:ConnectionString"] = "account keys: shared-key access is off, so the code must use the service URIs and the identity",
        ["Storage:Prefix"] = "side-by-side environments on one account (tests)",
        ["Nightly:At"] = "the nightly review's local start time, with a default",
        ["MemberTokens:Lifetime"] = "member tokens live 30 minutes unless a deployment wants otherwise",
        ["MemberAuth:RequestsPerAddressPerHour"] = "the per-address rate limit of member verification, with a default",
    };

    [Fact]
    public void Every_table_queue_and_container_the_code_uses_is_created_by_the_bicep()
    {
        var storage = Bicep.Load("infra/modules/storage.bicep");
        var module = Main.ModuleParams("modules/storage.bicep");
        var names = LoyaltyResources.Default;

        AssertCreated("tableNames", names.Tables, "tableServices/tables");
        AssertCreated("queueNames", names.Queues, "queueServices/queues");
        AssertCreated("blobContainerNames", names.Containers, "blobServices/containers");

        void AssertCreated(string param, IEnumerable<string> used, string resourceType)
        {
            var created = Main.StringsIn(module.Property(param));
            var missing = used.Where(name => !created.Contains(name)).ToList();
            Assert.True(missing.Count == 0,
                $"infra/main.bicep passes {param} [{string.Join(", ", created)}] to the storage module, but the code also uses: {string.Join(", ", missing)}.");
            Assert.Matches(new Regex($@"'Microsoft\.Storage/storageAccounts/{resourceType}@[^']+'\s*=\s*\[\s*for\s+\w+\s+in\s+{param}\s*:"), storage.Text);
        }
    }

    [Fact]
    public void Every_setting_the_code_reads_in_Azure_is_an_app_setting_of_the_function_app()
    {
        var settings = AppSettings();

        // What Loyalty.Hosting reads, recorded while it builds the backend from the app settings (Storage__X is Storage:X).
        var read = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var configuration = new ConfigurationBuilder()
            .Add(new RecordingSource(settings.Keys.ToDictionary(key => key.Replace("__", ":"), key => (string?)FakeValue(key.Replace("__", ":"))), read))
            .Build();
        LoyaltyBackend? backend = null;
        var failure = Record.Exception(() => backend = LoyaltyBackend.Create(configuration, TimeProvider.System));

        Assert.DoesNotContain("Storage__ConnectionString", settings.Keys);
        var missing = read.Where(key => !Unset.ContainsKey(key)).Select(key => key.Replace(":", "__")).Where(key => !settings.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0,
            $"The code reads {string.Join(", ", missing)}, which infra/main.bicep does not set. Set it there, or list it in {nameof(Unset)} with the reason Azure leaves it unset.");

        Assert.True(failure is null, $"Building the backend from the app settings failed: {failure}");

        // And it really used the service URIs and the identity the app settings name, not the local emulator.
        Assert.Equal(new Uri(FakeValue("Storage:TableServiceUri")), backend!.Storage.Account.TableEndpoint);
        Assert.Equal(new Uri(FakeValue("Storage:QueueServiceUri")), backend.Storage.Account.QueueEndpoint);
        Assert.Equal(new Uri(FakeValue("Storage:BlobServiceUri")), backend.Storage.Account.BlobEndpoint);
        Assert.Contains("Storage:ClientId", read, StringComparer.OrdinalIgnoreCase);

        // What the Functions host and the bindings read: host storage and every trigger connection through the
        // user-assigned identity, and telemetry.
        foreach (var connection in new[] { "AzureWebJobsStorage" }.Concat(FunctionsSource.ServiceBusTriggers().Select(t => t.Connection)).Distinct())
        {
            Assert.Equal("'managedidentity'", Setting(settings, $"{connection}__credential"));
            Assert.Equal("identity.outputs.clientId", Setting(settings, $"{connection}__clientId"));
        }

        Assert.Equal("storage.outputs.name", Setting(settings, "AzureWebJobsStorage__accountName"));
        foreach (var trigger in FunctionsSource.ServiceBusTriggers())
            Assert.Equal("serviceBus.outputs.fullyQualifiedNamespace", Setting(settings, $"{trigger.Connection}__fullyQualifiedNamespace"));
        Assert.Equal("monitoring.outputs.applicationInsightsConnectionString", Setting(settings, "APPLICATIONINSIGHTS_CONNECTION_STRING"));

        // Local (instrumentation-key) authentication is off on the component, so ingestion needs the identity.
        Assert.Matches(@"DisableLocalAuth:\s*true", Bicep.Load("infra/modules/monitoring.bicep").Text);
        Assert.Matches(@"^'ClientId=\$\{identity\.outputs\.clientId\};Authorization=AAD'$", Setting(settings, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
    }

    [Fact]
    public void The_receipts_trigger_queue_exists_and_dead_letters_after_the_handlers_last_delivery()
    {
        var triggers = FunctionsSource.ServiceBusTriggers();
        Assert.NotEmpty(triggers);
        var module = Main.ModuleParams("modules/service-bus.bicep");
        var queues = Main.StringsIn(module.Property("queueNames"));
        foreach (var trigger in triggers)
        {
            Assert.True(queues.Contains(trigger.Queue), $"{trigger.File} triggers on Service Bus queue '{trigger.Queue}', which infra/main.bicep does not create ({string.Join(", ", queues)}).");
            Assert.True(trigger.SettlesItself, $"{trigger.File} must set AutoCompleteMessages = false: it completes, abandons or dead-letters each message itself.");
        }

        var maxDeliveryCount = Main.IntIn(module.Property("maxDeliveryCount"));
        Assert.True(maxDeliveryCount == ReceiptMessageHandler.MaxDeliveries,
            $"The receipts queue dead-letters after {maxDeliveryCount} deliveries, but ReceiptMessageHandler gives up on delivery {ReceiptMessageHandler.MaxDeliveries}.");
        var serviceBus = Bicep.Load("infra/modules/service-bus.bicep");
        Assert.Matches(@"'Microsoft\.ServiceBus/namespaces/queues@[^']+'\s*=\s*\[\s*for\s+\w+\s+in\s+queueNames\s*:", serviceBus.Text);
        Assert.Matches(@"\bmaxDeliveryCount:\s*maxDeliveryCount\b", serviceBus.Text);
        Assert.Matches(@"\brequiresDuplicateDetection:\s*true\b", serviceBus.Text);
        Assert.Matches(@"\bdeadLetteringOnMessageExpiration:\s*true\b", serviceBus.Text);

        using var host = JsonDocument.Parse(Repo.Read("host.json"));
        Assert.False(host.RootElement.GetProperty("extensions").GetProperty("serviceBus").GetProperty("autoCompleteMessages").GetBoolean());
    }

    [Fact]
    public void The_azd_service_is_the_app_tagged_with_its_name()
    {
        var yaml = Repo.Read("azure.yaml");
        var services = Regex.Match(yaml, @"^services:\s*\n(?<body>(?:[ \t]+.*\n?|\s*\n)*)", RegexOptions.Multiline).Groups["body"].Value;
        var names = Regex.Matches(services, @"^  (?<name>[A-Za-z0-9_-]+):\s*$", RegexOptions.Multiline).Select(m => m.Groups["name"].Value).ToList();
        var name = Assert.Single(names);
        Assert.Matches(@"(?m)^\s+host:\s*function\s*$", services);
        var project = Regex.Match(services, @"(?m)^\s+project:\s*(?<path>\S+)\s*$").Groups["path"].Value;
        Assert.True(File.Exists(Path.Combine(Repo.Root, project, "Loyalty.Functions.csproj")), $"azure.yaml's project '{project}' is not the Functions app.");

        var tag = Regex.Match(Main.Text, @"'azd-service-name':\s*(?<value>[^\s}]+)");
        Assert.True(tag.Success, "infra/main.bicep tags nothing with azd-service-name.");
        var tagged = Main.StringsIn(tag.Groups["value"].Value).Single();
        Assert.True(name == tagged, $"azure.yaml's service '{name}' must equal the app's azd-service-name tag '{tagged}' in infra/main.bicep: azd finds the app by it.");
    }

    [Fact]
    public void Every_role_the_app_needs_is_assigned_by_its_definition_id()
    {
        var roles = Bicep.Load("infra/modules/role-assignments.bicep");
        var map = roles.ObjectProperties(roles.Var("roles"));
        var needed = new Dictionary<string, string>
        {
            ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor: the loyalty tables",
            ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor: receipts-poison, notifications",
            ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner: identity-based AzureWebJobsStorage, the deployment package, the receipts archive",
            ["4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"] = "Azure Service Bus Data Receiver: the receipts trigger",
            ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher: telemetry with local auth disabled",
        };
        if (AppSettings().Values.Any(value => value.Contains("@Microsoft.KeyVault(", StringComparison.Ordinal)))
            needed["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User: the app's Key Vault references";

        var outsideMap = roles.Text.Replace(roles.Var("roles"), "", StringComparison.Ordinal);
        foreach (var (id, why) in needed)
        {
            var entry = map.FirstOrDefault(pair => pair.Value == $"'{id}'");
            Assert.True(entry.Key is not null, $"infra/modules/role-assignments.bicep has no role {id} ({why}).");
            Assert.True(Regex.IsMatch(outsideMap, $@"\broles\.{entry.Key}\b"),
                $"infra/modules/role-assignments.bicep defines roles.{entry.Key} ({why}) but assigns it nowhere.");
        }

        Assert.Matches(@"roleDefinitionId:\s*subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions',\s*roleId\)", roles.Text);
        var app = Main.ModuleParams("modules/role-assignments.bicep");
        Assert.Equal("identity.outputs.principalId", app.Property("principalId"));
    }

    private static Dictionary<string, string> AppSettings()
    {
        // The block in main.bicep is handed to the function-app module, which writes it into siteConfig.appSettings.
        Assert.Equal("appSettings", Main.ModuleParams("modules/function-app.bicep").Property("appSettings"));
        Assert.Matches(@"appSettings:\s*map\(items\(appSettings\)", Bicep.Load("infra/modules/function-app.bicep").Text);
        return Main.ObjectProperties(Main.Var("appSettings"));
    }

    private static string Setting(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"infra/main.bicep does not set the app setting {name}.");

    private static string FakeValue(string key) =>
        key.EndsWith("ServiceUri", StringComparison.OrdinalIgnoreCase) ? $"https://contract.{key.Split(':')[^1].Replace("ServiceUri", "", StringComparison.Ordinal).ToLowerInvariant()}.core.windows.net/"
        : key.EndsWith("ClientId", StringComparison.OrdinalIgnoreCase) ? "00000000-0000-0000-0000-000000000001"
        // What the Key Vault reference resolves to: a GUID (the Bicep default) or 32 random bytes in base64.
        : key.EndsWith("SigningKey", StringComparison.OrdinalIgnoreCase) ? "9b2f0c3e-5d7a-4e61-8f3b-2a1c4d6e8f90"
        : key.EndsWith("Url", StringComparison.OrdinalIgnoreCase) ? "https://shop.contract.example/login"
        : "x";

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

/// <summary>The Functions app's sources (functions/Loyalty.Functions), read as text.</summary>
internal static class FunctionsSource
{
    public sealed record ServiceBusTrigger(string File, string Queue, string Connection, bool SettlesItself);

    public static IReadOnlyList<(string File, string Text)> Files() =>
        Directory.EnumerateFiles(Path.Combine(Repo.Root, "functions", "Loyalty.Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Select(path => (Path.GetRelativePath(Repo.Root, path), File.ReadAllText(path)))
            .ToList();

    public static IReadOnlyList<ServiceBusTrigger> ServiceBusTriggers() =>
        Files().SelectMany(file => Regex.Matches(file.Text, @"\[ServiceBusTrigger\(\s*""(?<queue>[^""]+)""(?<rest>[^\]]*)\)\]")
            .Select(m => new ServiceBusTrigger(file.File, m.Groups["queue"].Value,
                Regex.Match(m.Groups["rest"].Value, @"Connection\s*=\s*""(?<c>[^""]+)""") is { Success: true } c ? c.Groups["c"].Value : "AzureWebJobsServiceBus",
                Regex.IsMatch(m.Groups["rest"].Value, @"AutoCompleteMessages\s*=\s*false"))))
            .ToList();
}

/// <summary>
/// Just enough of Bicep, as text, for contract checks: comments stripped; <c>var</c> values; a module's params;
/// an object's top-level properties; the string literals an expression reaches through vars.
/// </summary>
internal sealed partial class Bicep
{
    private Bicep(string path, string text)
    {
        Path = path;
        Text = text;
    }

    public string Path { get; }

    /// <summary>The file without comments.</summary>
    public string Text { get; }

    public static Bicep Load(string relativePath) => new(relativePath, StripComments(Repo.Read(relativePath)));

    /// <summary>The value of <c>var name = …</c>: a literal or expression to the end of the line, or a whole [ … ] or { … } block.</summary>
    public string Var(string name) =>
        TryVar(name) ?? throw new Xunit.Sdk.XunitException($"{Path} has no var {name}.");

    public string? TryVar(string name)
    {
        var match = Regex.Match(Text, $@"(?m)^var\s+{Regex.Escape(name)}\s*=\s*");
        return match.Success ? ValueAt(Text, match.Index + match.Length) : null;
    }

    /// <summary>The params object of the module declared from <paramref name="modulePath"/> (the first one).</summary>
    public Properties ModuleParams(string modulePath)
    {
        var module = Regex.Match(Text, $@"(?m)^module\s+\w+\s+'{Regex.Escape(modulePath)}'\s*=\s*(?:if\s*\([^\n]*\)\s*)?");
        Assert.True(module.Success, $"{Path} declares no module from {modulePath}.");
        var body = ValueAt(Text, module.Index + module.Length);
        var @params = Regex.Match(body, @"(?m)^\s*params:\s*");
        Assert.True(@params.Success, $"The {modulePath} module in {Path} has no params.");
        return new Properties(this, ObjectProperties(ValueAt(body, @params.Index + @params.Length)), modulePath);
    }

    /// <summary>Top-level <c>name: value</c> pairs of an object block <c>{ … }</c>, values as text.</summary>
    public Dictionary<string, string> ObjectProperties(string block)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var inner = block.Trim();
        Assert.True(inner.StartsWith('{') && inner.EndsWith('}'), $"Not an object: {inner}");
        inner = inner[1..^1];
        var position = 0;
        while (position < inner.Length)
        {
            var property = PropertyName().Match(inner, position);
            if (!property.Success) break;
            var value = ValueAt(inner, property.Index + property.Length, out position);
            result[property.Groups["name"].Value.Trim('\'')] = value.Trim();
        }
        return result;
    }

    /// <summary>Every plain string literal in <paramref name="expression"/>, and in the vars it names, recursively.</summary>
    public SortedSet<string> StringsIn(string expression)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        Collect(expression, result, new HashSet<string>());
        return result;
    }

    /// <summary>A whole number written in <paramref name="expression"/> or in the var it names.</summary>
    public int IntIn(string expression)
    {
        var text = expression.Trim();
        if (int.TryParse(text, out var value)) return value;
        var var = TryVar(text) ?? throw new Xunit.Sdk.XunitException($"'{text}' in {Path} is neither a number nor a var.");
        return IntIn(var);
    }

    private void Collect(string expression, SortedSet<string> result, HashSet<string> seen)
    {
        foreach (Match literal in StringLiteral().Matches(expression))
            if (!literal.Value.Contains("${", StringComparison.Ordinal)) result.Add(literal.Value[1..^1].Replace("\\'", "'", StringComparison.Ordinal));
        var withoutStrings = StringLiteral().Replace(expression, "''");
        foreach (Match identifier in Identifier().Matches(withoutStrings))
            if (seen.Add(identifier.Value) && TryVar(identifier.Value) is { } value) Collect(value, result, seen);
    }

    private static string ValueAt(string text, int start) => ValueAt(text, start, out _);

    /// <summary>The value starting at <paramref name="start"/>: a balanced [ … ], { … } or ( … ) group, else the rest of the line.</summary>
    private static string ValueAt(string text, int start, out int next)
    {
        next = text.Length;
        while (start < text.Length && text[start] is ' ' or '\t') start++;
        if (start >= text.Length) return "";
        if (text[start] is not ('[' or '{' or '('))
        {
            var end = start;
            var depth = 0;
            var inString = false;
            for (; end < text.Length; end++)
            {
                var c = text[end];
                if (inString) { if (c == '\\') end++; else if (c == '\'') inString = false; continue; }
                if (c == '\'') inString = true;
                else if (c is '(' or '[' or '{') depth++;
                else if (c is ')' or ']' or '}') { if (depth == 0) break; depth--; }
                else if (c == '\n' && depth == 0) break;
            }
            next = end;
            return text[start..end].TrimEnd();
        }

        var level = 0;
        var quoted = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted) { if (c == '\\') i++; else if (c == '\'') quoted = false; continue; }
            if (c == '\'') quoted = true;
            else if (c is '(' or '[' or '{') level++;
            else if (c is ')' or ']' or '}' && --level == 0)
            {
                next = i + 1;
                return text[start..next];
            }
        }
        throw new Xunit.Sdk.XunitException($"Unbalanced brackets from: {text[start..Math.Min(text.Length, start + 80)]}");
    }

    /// <summary>Removes // and /* */ comments, leaving strings (which may contain "//", as in 'https://') alone.</summary>
    private static string StripComments(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
                result.Append(text, i, Math.Min(end + 1, text.Length) - i);
                i = end;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n') i++;
                if (i < text.Length) result.Append('\n');
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 1;
            }
            else result.Append(c);
        }
        return result.ToString();
    }

    [GeneratedRegex(@"'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?m)^\s*(?<name>'[^']+'|[A-Za-z_][A-Za-z0-9_]*)\s*:\s*")]
    private static partial Regex PropertyName();

    /// <summary>A module's params, by name.</summary>
    public sealed class Properties(Bicep file, Dictionary<string, string> values, string module)
    {
        public string Property(string name) =>
            values.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"The {module} module in {file.Path} gets no {name}.");
    }
}
