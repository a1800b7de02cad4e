using System.Text.RegularExpressions;
using Loyalty.Testing;

namespace Loyalty.Functions.Tests;

/// <summary>
/// The app settings infra/main.bicep gives the Function App (<c>var appSettings</c>), as the worker reads them:
/// environment variables whose <c>__</c> is the configuration's <c>:</c>, each Bicep expression replaced by a value of
/// the shape Azure puts there. A setting built from an expression this class has no sample for fails the tests that
/// read it, so a new setting cannot slip past them.
/// </summary>
public static partial class BicepAppSettings
{
    public const string SigningKey = "key-vault-secret-value-0123456789abcdef";
    private const string KeyVaultReference = "@Microsoft.KeyVault(";

    private static readonly Dictionary<string, string> Samples = new(StringComparer.Ordinal)
    {
        ["storage.outputs.name"] = "stloyaltytest",
        ["storage.outputs.tableEndpoint"] = "https://stloyaltytest.table.core.windows.net/",
        ["storage.outputs.queueEndpoint"] = "https://stloyaltytest.queue.core.windows.net/",
        ["storage.outputs.blobEndpoint"] = "https://stloyaltytest.blob.core.windows.net/",
        ["identity.outputs.clientId"] = "6f2a1c0e-3b5d-4e8f-9a7b-1c2d3e4f5a6b",
        ["serviceBus.outputs.fullyQualifiedNamespace"] = "sb-loyaltytest.servicebus.windows.net",
        ["monitoring.outputs.applicationInsightsConnectionString"] =
            "InstrumentationKey=0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/",
        ["keyVault.outputs.memberTokenSigningKeySecretUri"] = "https://kv-loyaltytest.vault.azure.net/secrets/member-token-signing-key",
        ["memberLinkBaseUrl"] = "https://shop.example.com/login",
    };

    /// <summary>As the worker sees them once the platform has resolved each Key Vault reference to the secret's value.</summary>
    public static Dictionary<string, string?> Resolved() =>
        Parse().ToDictionary(s => s.Key, s => (string?)(s.Value.StartsWith(KeyVaultReference, StringComparison.Ordinal) ? SigningKey : s.Value));

    /// <summary>As the worker sees them when the platform could not resolve a reference (no access to the vault): the literal text.</summary>
    public static Dictionary<string, string?> Unresolved() => Parse().ToDictionary(s => s.Key, s => (string?)s.Value);

    private static Dictionary<string, string> Parse()
    {
        var bicep = Repo.Read("infra/main.bicep");
        var block = AppSettingsBlock().Match(bicep);
        if (!block.Success) throw new InvalidOperationException("infra/main.bicep has no 'var appSettings = { … }' block.");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match setting in Setting().Matches(block.Groups["body"].Value))
            settings[setting.Groups["name"].Value.Replace("__", ":", StringComparison.Ordinal)] = Value(setting.Groups["value"].Value.Trim());
        return settings.Count > 0 ? settings : throw new InvalidOperationException("infra/main.bicep's appSettings block lists no settings.");
    }

    /// <summary>A quoted string with its <c>${…}</c> interpolations filled in, or a bare expression.</summary>
    private static string Value(string expression) =>
        expression.StartsWith('\'') && expression.EndsWith('\'')
            ? Interpolation().Replace(expression[1..^1], m => Sample(m.Groups["expression"].Value))
            : Sample(expression);

    private static string Sample(string expression) =>
        Samples.TryGetValue(expression.Trim(), out var value)
            ? value
            : throw new InvalidOperationException($"An app setting in infra/main.bicep uses '{expression}'; give it a sample value in {nameof(BicepAppSettings)}.");

    [GeneratedRegex(@"^var appSettings = \{(?<body>.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex AppSettingsBlock();

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?<value>.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex Setting();

    [GeneratedRegex(@"\$\{(?<expression>[^}]+)\}")]
    private static partial Regex Interpolation();
}
