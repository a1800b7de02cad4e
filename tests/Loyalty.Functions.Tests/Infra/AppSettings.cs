using System.Text.RegularExpressions;

namespace Loyalty.Functions.Tests.Infra;

/// <summary>
/// The app settings the compiled Bicep gives the Function App (siteConfig.appSettings of the ARM JSON). As deployed,
/// values only Azure knows read as their source ({identity.outputs.clientId}); as the worker sees them, each such value
/// is a sample of the shape Azure puts there, with the configuration's <c>:</c> for <c>__</c>. A setting built from a
/// value with no sample here fails the tests that read it, so a new setting cannot slip past them.
/// </summary>
public static partial class AppSettings
{
    public const string SigningKey = "key-vault-secret-value-0123456789abcdef";
    public const string KeyVaultReference = "@Microsoft.KeyVault(";

    /// <summary>Samples by the deployment-time expression the ARM reader leaves in braces.</summary>
    private static readonly Dictionary<string, string> Samples = new(StringComparer.Ordinal)
    {
        ["storage.outputs.name"] = "stloyaltytest",
        ["storage.outputs.tableEndpoint"] = "https://stloyaltytest.table.core.windows.net/",
        ["storage.outputs.queueEndpoint"] = "https://stloyaltytest.queue.core.windows.net/",
        ["storage.outputs.blobEndpoint"] = "https://stloyaltytest.blob.core.windows.net/",
        ["identity.outputs.clientId"] = "6f2a1c0e-3b5d-4e8f-9a7b-1c2d3e4f5a6b",
        ["service-bus.outputs.fullyQualifiedNamespace"] = "sb-loyaltytest.servicebus.windows.net",
        ["monitoring.outputs.applicationInsightsConnectionString"] =
            "InstrumentationKey=0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;" +
            "LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/",
        ["key-vault.outputs.memberTokenSigningKeySecretUri"] = "https://kv-loyaltytest.vault.azure.net/secrets/member-token-signing-key",
    };

    /// <summary>As the deployment writes them, by their app-setting names (Storage__TableServiceUri).</summary>
    public static Dictionary<string, object?> Deployed() =>
        Xunit.Assert.IsType<List<object?>>(FunctionApp().Get("properties.siteConfig.appSettings"))
            .Cast<Dictionary<string, object?>>()
            .ToDictionary(setting => (string)setting["name"]!, setting => setting["value"]);

    public static ArmTemplate.Resource FunctionApp() => Bicep.Main.Module("function-app").Resources("Microsoft.Web/sites").Single();

    /// <summary>As the worker sees them once the platform has resolved each Key Vault reference to the secret's value.</summary>
    public static Dictionary<string, string?> Resolved() =>
        Unresolved().ToDictionary(
            s => s.Key, s => s.Value is { } value && value.StartsWith(KeyVaultReference, StringComparison.Ordinal) ? SigningKey : s.Value);

    /// <summary>As the worker sees them when the platform could not resolve a reference (no access to the vault): the literal text.</summary>
    public static Dictionary<string, string?> Unresolved() =>
        Deployed().ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)Sampled(s.Key, s.Value?.ToString() ?? ""));

    private static string Sampled(string name, string value) =>
        DeploymentValue().Replace(value, m => Samples.TryGetValue(m.Groups["expression"].Value, out var sample)
            ? sample
            : throw new InvalidOperationException($"The app setting {name} uses '{m.Value}', known only at deployment; give it a " +
                $"sample in {nameof(AppSettings)}."));

    [GeneratedRegex(@"\{(?<expression>[^{}]+)\}")]
    private static partial Regex DeploymentValue();
}
