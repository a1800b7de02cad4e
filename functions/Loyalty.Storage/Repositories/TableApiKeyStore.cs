using Loyalty.Core.Access;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>ApiKeys table: PartitionKey = key id, RowKey "": authenticating a key is one point read.</summary>
internal sealed class TableApiKeyStore(TableClient table) : IApiKeyStore
{
    public async Task InsertAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        var row = new TableEntity(key.KeyId, "")
        {
            ["ProgramId"] = key.ProgramId,
            ["Name"] = key.Name,
            ["Scopes"] = string.Join(',', key.Scopes.Names()),
            ["Hash"] = key.Hash,
            ["CreatedAt"] = key.CreatedAt,
            ["Revoked"] = key.Revoked,
        };
        try
        {
            await table.InsertAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException e)
        {
            throw new InvalidOperationException($"API key id '{key.KeyId}' exists already; key ids are 80 random bits, so the random source is broken.", e);
        }
    }

    public async Task<ApiKeyRecord?> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        if (await table.GetEntityAsync(keyId, "", cancellationToken: cancellationToken).ConfigureAwait(false) is not { } row) return null;
        if (!Scopes.TryParse(row.Required("Scopes").Split(',', StringSplitOptions.RemoveEmptyEntries), out var scopes, out var unknown))
            throw new InvalidOperationException($"API key '{keyId}' has an unknown scope '{unknown}'.");
        return new ApiKeyRecord(keyId, row.Required("ProgramId"), row.Required("Name"), scopes, row.Required("Hash"),
            row.GetDateTimeOffset("CreatedAt") ?? default, row.GetBoolean("Revoked") ?? false);
    }
}
