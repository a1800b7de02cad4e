using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Loyalty.Core.Application.Ports;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Raw receipt payloads, under names of two kinds. <c>{container}/{program}/{yyyy}/{MM}/{dd}/{name}.json</c>: a blob in the
/// receipts container (queue messages holding anonymous receipts, receipts given up on, parked or anonymous receipts),
/// written create-only, so a redelivered message or a resent receipt finds its first payload in place and keeps it.
/// <c>{table}/{partition}/{row}</c>: the <see cref="MemberRows.RawReceipt"/> row the member store commits with a member's
/// receipt (over HTTP, or one of a queue message), which saves the receipt a request of its own.
/// </summary>
internal sealed class ReceiptArchive(BlobContainerClient container, TableClient members) : IReceiptArchive
{
    public async Task<string> StoreAsync(string programId, DateOnly day, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var blob = $"{programId}/{day.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture)}/{KeyText.Escape(name)}.json";
        try
        {
            await container.GetBlobClient(blob).UploadAsync(
                BinaryData.FromBytes(payload), Blobs.Upload("application/json", Blobs.CreateOnly), cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            // Stored by an earlier delivery.
        }
        return $"{container.Name}/{blob}";
    }

    // Escaped receipt ids hold no '/', partition keys neither: the name splits in three.
    public string BesideMember(MemberKey member, string receiptId) =>
        $"{members.Name}/{MemberShards.PartitionKey(member.ProgramId, member.Shards, member.MemberId)}/{MemberRows.RawReceiptKey(member.MemberId, receiptId)}";

    public async Task<ArchivedPayload?> ReadAsync(string archived, CancellationToken cancellationToken)
    {
        if (RowKeys(archived) is { Partition: var partition, Row: var row })
        {
            return await members.GetOrNullAsync<TableEntity>(partition, row, cancellationToken: cancellationToken) is { } entity
                ? new ArchivedPayload(MemberRows.ReadRawReceipt(entity), entity.ETag.ToString())
                : null;
        }
        return BlobName(archived) is { } blob && await container.DownloadOrNullAsync(blob, cancellationToken) is { } download
            ? new ArchivedPayload(download.Content.ToMemory(), download.Details.ETag.ToString())
            : null;
    }

    public async Task<bool> TryReplaceAsync(string archived, ReadOnlyMemory<byte> payload, string version, CancellationToken cancellationToken)
    {
        try
        {
            if (RowKeys(archived) is { Partition: var partition, Row: var row })
            {
                await members.UpdateEntityAsync(
                    MemberRows.RawReceiptRow(partition, row, payload), new ETag(version), TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            if (BlobName(archived) is not { } blob) return false;
            var condition = new BlobRequestConditions { IfMatch = new ETag(version) };
            await container.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(payload), Blobs.Upload("application/json", condition), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConditionFailed() || e.IsNotFound())
        {
            return false;
        }
    }

    /// <summary>The blob of a name <see cref="StoreAsync"/> returned; null for a name of another container.</summary>
    private string? BlobName(string archived) =>
        archived.StartsWith(container.Name + "/", StringComparison.Ordinal) ? archived[(container.Name.Length + 1)..] : null;

    /// <summary>The keys of a name <see cref="BesideMember"/> returned; null for any other name.</summary>
    private (string Partition, string Row)? RowKeys(string archived) =>
        archived.StartsWith(members.Name + "/", StringComparison.Ordinal) && archived[(members.Name.Length + 1)..].Split('/') is [var partition, var row]
            ? (partition, row)
            : null;
}
