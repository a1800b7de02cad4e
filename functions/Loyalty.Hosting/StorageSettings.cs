using Azure.Identity;
using Loyalty.Storage.Accounts;
using Microsoft.Extensions.Configuration;

namespace Loyalty.Hosting;

/// <summary>
/// Where our data lives, from the <c>Storage</c> configuration section: either <c>ConnectionString</c> (Azurite, an
/// account key or a shared access signature) or the three service URIs with a managed identity (<c>TableServiceUri</c>,
/// <c>QueueServiceUri</c>, <c>BlobServiceUri</c>, optional <c>ClientId</c> of a user-assigned identity), exactly as
/// infra/main.bicep sets them. Nothing configured means the local emulator. Each host calls this once, through
/// <see cref="LoyaltyRegistration.AddLoyaltyStorage"/>: the SDKs' clients (and their token cache) live as long as the process.
/// </summary>
public static class StorageSettings
{
    public const string Section = "Storage";

    public static StorageAccount Account(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (section["ConnectionString"] is { Length: > 0 } connectionString)
            return StorageAccount.FromConnectionString(connectionString);

        var table = Uri(section, "TableServiceUri");
        var queue = Uri(section, "QueueServiceUri");
        var blob = Uri(section, "BlobServiceUri");
        if (table is null && queue is null && blob is null)
            return StorageAccount.FromConnectionString("UseDevelopmentStorage=true");
        if (table is null || queue is null || blob is null)
            throw new InvalidOperationException($"{Section}:TableServiceUri, QueueServiceUri and BlobServiceUri go together: set all three (or " +
                $"a {Section}:ConnectionString).");

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["ClientId"] });
        return StorageAccount.FromServiceUris(table, queue, blob, credential);
    }

    private static Uri? Uri(IConfigurationSection section, string key) =>
        section[key] is { Length: > 0 } value
            ? System.Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : throw new InvalidOperationException($"{Section}:{key} is not an absolute URI.")
            : null;
}
