using Azure.Data.Tables;
using System.Globalization;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Which campaign audience files may name a member, for erasure requests: the member's delivery records
/// (<c>campaign:{id}:{run}</c> operation records in its partition) give the runs, its shard gives the files' prefix
/// (<see cref="TableCampaignDeliveries"/>); every part file of that shard and run is listed, one of which holds the member.
/// </summary>
internal sealed class CampaignExportIndex(TableClient members, IProgramStore programs, BlobContainerClient exports) : ICampaignExports
{
    public async Task<IReadOnlyList<string>> ListForMemberAsync(string programId, string memberId, CancellationToken cancellationToken)
    {
        if (await programs.GetAsync(programId, cancellationToken) is not { } program) return [];
        var shard = MemberShards.Shard(memberId, program.Settings.Shards);
        var first = MemberRows.Record(memberId, CampaignDispatch.OperationPrefix);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {MemberShards.PartitionKey(programId, shard)} and RowKey ge {first} and RowKey lt {first[..^1] + ";"}");
        var files = new List<string>();
        await foreach (var row in members.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            var operation = KeyText.Unescape(row.RowKey[(first.Length - CampaignDispatch.OperationPrefix.Length)..]);
            if (!CampaignDispatch.TryParseOperation(operation, out var campaignId, out var runId)) continue;
            var prefix = TableCampaignDeliveries.ShardExportPrefix(new CampaignRun(programId, campaignId, runId), shard);
            await foreach (var blob in exports.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
                files.Add($"{exports.Name}/{blob.Name}");
        }
        return files;
    }
}
