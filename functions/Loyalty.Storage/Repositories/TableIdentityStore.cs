using Azure.Data.Tables;
using Azure;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Identities table: PartitionKey "{programId}|{kind}|{value}", RowKey "", property MemberId. One partition per identity
/// spreads lookups over the whole key space, and uniqueness is the insert itself.
/// </summary>
internal sealed class TableIdentityStore(TableClient table) : IIdentityStore
{
    public async Task<IdentityClaim?> TryInsertAsync(IdentityKey key, string memberId, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        try
        {
            var added = await table.AddEntityAsync(Row(key, memberId, claimedAt), cancellationToken);
            return new IdentityClaim(memberId, claimedAt, Version(added));
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return null;
        }
    }

    public async Task<IdentityClaim?> GetAsync(IdentityKey key, CancellationToken cancellationToken)
    {
        var row = await table.GetOrNullAsync<TableEntity>(PartitionKey(key), "", cancellationToken: cancellationToken);
        return row is null ? null : new IdentityClaim(row.Required("MemberId"), row.GetDateTimeOffset("ClaimedAt") ?? default, row.ETag.ToString());
    }

    public async Task<IdentityClaim?> TryReassignAsync(
        IdentityKey key, IdentityClaim current, string memberId, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        try
        {
            var updated = await table.UpdateEntityAsync(Row(key, memberId, claimedAt), new ETag(current.Token), TableUpdateMode.Replace, cancellationToken);
            return new IdentityClaim(memberId, claimedAt, Version(updated));
        }
        catch (RequestFailedException e) when (e.IsConditionFailed() || e.IsNotFound())
        {
            return null;
        }
    }

    public async Task DeleteAsync(IdentityKey key, IdentityClaim current, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(PartitionKey(key), "", new ETag(current.Token), cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsConditionFailed())
        {
            // Claimed by someone else since it was read: theirs now, not ours to delete.
        }
    }

    private static string Version(Response written) => written.Headers.ETag?.ToString()
        ?? throw new InvalidOperationException("The Table service returned no ETag.");

    private static TableEntity Row(IdentityKey key, string memberId, DateTimeOffset claimedAt) =>
        new(PartitionKey(key), "") { ["MemberId"] = memberId, ["ClaimedAt"] = claimedAt };

    public static string PartitionKey(IdentityKey key) => $"{key.ProgramId}|{Kinds[key.Kind]}|{KeyText.Escape(key.Value)}";

    /// <summary>The kind and (unescaped) value of a key made by <see cref="PartitionKey"/>.</summary>
    public static (IdentityKind Kind, string Value) ParsePartitionKey(string partitionKey)
    {
        var parts = partitionKey.Split('|', 3);
        return (Kinds.Single(k => k.Value == parts[1]).Key, Uri.UnescapeDataString(parts[2]));
    }

    private static readonly Dictionary<IdentityKind, string> Kinds = new()
    {
        [IdentityKind.Card] = "card",
        [IdentityKind.Phone] = "phone",
        [IdentityKind.Email] = "email",
        [IdentityKind.External] = "external",
        [IdentityKind.Purchase] = "purchase",
    };
}
