using Azure;
using Azure.Data.Tables;
using Loyalty.Core.Access;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// ApiKeys table. The key itself: PartitionKey = key id, RowKey "": authenticating a key is one point read, and the
/// presented key names nothing but its id. The program's listing: PartitionKey "program|{programId}", RowKey = key id,
/// an empty pointer row. A listing thus reads one partition of its own program (a range, in pages) plus a point read
/// per key, never other programs' rows, however many there are; scanning the key rows by a ProgramId column would
/// read every program's keys. The two rows cannot share a transaction (two partitions), so the pointer is written
/// first: a key that can authenticate is always listed, and a crash in between leaves only a pointer to nothing,
/// which the listing skips. Revocation and "last used" change only the key row, so the listing never goes stale.
/// </summary>
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
            ["ExpiresAt"] = key.ExpiresAt,
        }.WithoutNulls();
        try
        {
            await table.AddEntityAsync(new TableEntity(Listing(key.ProgramId), key.KeyId), cancellationToken);
            await table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            throw new InvalidOperationException($"API key id '{key.KeyId}' exists already; key ids are 80 random bits, so the random source is broken.", e);
        }
    }

    public async Task<ApiKeyRecord?> GetAsync(string keyId, CancellationToken cancellationToken) =>
        await table.GetOrNullAsync<TableEntity>(keyId, "", cancellationToken: cancellationToken) is { } row ? Read(row) : null;

    public async Task<CursorPage<ApiKeyRecord>> ListAsync(string programId, int pageSize, string? after, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Listing(programId)} and RowKey gt {after ?? ""}");
        // One pointer more than asked tells whether another page follows.
        var ids = new List<string>(pageSize + 1);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], maxPerPage: pageSize + 1, cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
            if (ids.Count > pageSize) break;
        }
        var page = ids.Take(pageSize).ToList();
        var keys = new ApiKeyRecord?[page.Count];
        await Parallel.ForAsync(0, page.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            keys[i] = await GetAsync(page[i], ct));
        return new CursorPage<ApiKeyRecord>([.. keys.OfType<ApiKeyRecord>()], ids.Count > pageSize ? page[^1] : null);
    }

    public async Task RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await table.UpdateEntityAsync(new TableEntity(keyId, "") { ["RevokedAt"] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    public async Task RecordUseAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(new TableEntity(keyId, "") { ["LastUsedAt"] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException)
        {
            // Advisory only: the next look-up an hour on tries again.
        }
    }

    private static string Listing(string programId) => $"program|{programId}";

    private static ApiKeyRecord Read(TableEntity row)
    {
        if (!Scopes.TryParse(row.Required("Scopes").Split(',', StringSplitOptions.RemoveEmptyEntries), out var scopes, out var unknown))
            throw new InvalidOperationException($"API key '{row.PartitionKey}' has an unknown scope '{unknown}'.");
        return new ApiKeyRecord(row.PartitionKey, row.Required("ProgramId"), row.Required("Name"), scopes, row.Required("Hash"),
            row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("ExpiresAt"), row.GetDateTimeOffset("RevokedAt"),
                row.GetDateTimeOffset("LastUsedAt"));
    }
}
