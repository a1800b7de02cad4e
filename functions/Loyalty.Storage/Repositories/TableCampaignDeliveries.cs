using Azure.Data.Tables;
using System.Globalization;
using System.Text;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Serialization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// CampaignDeliveries table and the campaigns container (the keys: docs/architecture.md, 'Storage layout (as built)').
/// Deliveries are partitioned like the Members shards, so a fan-out chunk's deliveries are one transaction of upserts;
/// responses are upserts keyed by receipt, so a receipt applied again (a redelivered message) records its response once.
/// </summary>
internal sealed class TableCampaignDeliveries(TableClient table, BlobContainerClient exports) : ICampaignDeliveries
{
    private const string ResponsesPartition = "responses";

    public async Task RecordAsync(CampaignRun run, int shard, IReadOnlyList<DeliveryRecord> deliveries, CancellationToken cancellationToken)
    {
        var partition = DeliveryPartition(run.ProgramId, run.CampaignId, shard);
        foreach (var chunk in deliveries.DistinctBy(d => d.MemberId).Chunk(TableTransactions.MaxActions))
        {
            var actions = chunk.Select(d => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(partition, $"{run.RunId}|{d.MemberId}")
            {
                ["Channel"] = d.Channel,
                ["At"] = d.At,
                ["Offer"] = d.Offer,
            }.WithoutNulls())).ToList();
            await table.SubmitCheckedAsync(actions, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(CampaignRun run, int shard, CancellationToken cancellationToken)
    {
        var partition = DeliveryPartition(run.ProgramId, run.CampaignId, shard);
        var found = new List<DeliveryRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {run.RunId + "|"} and RowKey lt {run.RunId + "}"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            found.Add(new DeliveryRecord(row.RowKey[(run.RunId.Length + 1)..], row.Required("Channel"), row.GetDateTimeOffset("At") ?? default,
                row.GetString("Offer")));
        return found;
    }

    public async Task<string> ExportAsync(CampaignRun run, int shard, string part, IReadOnlyList<AudienceLine> lines, CancellationToken cancellationToken)
    {
        var name = $"{ShardExportPrefix(run, shard)}{KeyText.Escape(part)}.ndjson";
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(LoyaltyJson.Serialize(line)).Append('\n');
        await exports.GetBlobClient(name).UploadAsync(BinaryData.FromString(text.ToString()), Blobs.Upload("application/x-ndjson"), cancellationToken);
        return $"{exports.Name}/{name}";
    }

    public async Task<IReadOnlyList<string>> ListExportsAsync(string programId, string campaignId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in exports.GetBlobsAsync(BlobTraits.None, BlobStates.None, ExportPrefix(programId, campaignId), cancellationToken))
            names.Add($"{exports.Name}/{blob.Name}");
        return names;
    }

    public async Task RecordResponseAsync(string programId, CampaignResponse response, CancellationToken cancellationToken) =>
        await table.UpsertEntityAsync(new TableEntity(ResponsePartition(programId, response.CampaignId),
            $"{response.Kind}|{KeyText.Escape(response.ReceiptId)}")
        {
            ["ReceiptId"] = response.ReceiptId,
            ["MemberId"] = response.MemberId,
            ["Amount"] = response.Amount.ToString(CultureInfo.InvariantCulture),
            ["At"] = response.At,
        }.WithoutNulls(), TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<CampaignResponse>> ListResponsesAsync(string programId, string campaignId, CancellationToken cancellationToken)
    {
        var found = new List<CampaignResponse>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {ResponsePartition(programId, campaignId)}"), cancellationToken: cancellationToken))
            found.Add(new CampaignResponse(
                campaignId,
                Enum.Parse<ResponseKind>(row.RowKey[..row.RowKey.IndexOf('|', StringComparison.Ordinal)]),
                row.Required("ReceiptId"),
                row.GetString("MemberId"),
                decimal.Parse(row.Required("Amount"), NumberStyles.Number, CultureInfo.InvariantCulture),
                row.GetDateTimeOffset("At") ?? default));
        return found;
    }

    private static string DeliveryPartition(string programId, string campaignId, int shard) =>
        $"{programId}|{campaignId}|{shard.ToString("D4", CultureInfo.InvariantCulture)}";

    private static string ResponsePartition(string programId, string campaignId) => $"{programId}|{campaignId}|{ResponsesPartition}";

    private static string ExportPrefix(string programId, string campaignId) => $"{programId}/{campaignId}/";

    /// <summary>The start of the names of a run's audience files in one shard.</summary>
    public static string ShardExportPrefix(CampaignRun run, int shard) =>
        $"{ExportPrefix(run.ProgramId, run.CampaignId)}{KeyText.Escape(run.RunId)}/shard-{shard.ToString("D4", CultureInfo.InvariantCulture)}-";
}
