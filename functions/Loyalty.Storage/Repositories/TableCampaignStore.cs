using Azure;
using Azure.Data.Tables;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Campaigns table, one partition per program (PartitionKey = program id): <c>c|{campaignId}</c> a campaign as JSON
/// (definition, status, runs; replaced under its ETag), <c>k|{code}</c> the claim on a coupon code (written in the same
/// transaction as its campaign, so codes are unique per program), <c>s|{segmentId}</c> a named segment.
/// </summary>
internal sealed class TableCampaignStore(TableClient table) : ICampaignStore
{
    private const string CampaignPrefix = "c|";
    private const string CouponPrefix = "k|";
    private const string SegmentPrefix = "s|";

    public async Task<Versioned<Campaign>?> GetAsync(string programId, string campaignId, CancellationToken cancellationToken) =>
        await table.GetOrNullAsync<TableEntity>(programId, CampaignPrefix + campaignId, cancellationToken: cancellationToken) is { } row
            ? ReadCampaign(row)
            : null;

    public async Task<IReadOnlyList<Versioned<Campaign>>> ListAsync(string programId, CancellationToken cancellationToken) =>
        [.. (await RangeAsync(programId, CampaignPrefix, cancellationToken)).Select(ReadCampaign)];

    public async Task<CampaignInsert> InsertAsync(string programId, Campaign campaign, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction> { new TableTransactionAction(TableTransactionActionType.Add, CampaignRow(programId, campaign)) };
        if (campaign.Definition.Offer.Code is { } code)
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(programId, CouponPrefix + KeyText.Escape(code.ToUpperInvariant())) { ["CampaignId"] = campaign.Definition.CampaignId }));
        try
        {
            await table.SubmitCheckedAsync(actions, cancellationToken);
            return CampaignInsert.Inserted;
        }
        catch (TableTransactionFailedException e) when (e.IsConflict())
        {
            return e.FailedTransactionActionIndex == 1 ? CampaignInsert.CouponTaken : CampaignInsert.IdTaken;
        }
    }

    public async Task<bool> ReplaceAsync(string programId, Campaign campaign, string version, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(CampaignRow(programId, campaign), new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConditionFailed() || e.IsNotFound())
        {
            return false;
        }
    }

    public async Task<string?> FindByCouponAsync(string programId, string code, CancellationToken cancellationToken) =>
        (await table.GetOrNullAsync<TableEntity>(programId, CouponPrefix + KeyText.Escape(code.ToUpperInvariant()),
            cancellationToken: cancellationToken))?.GetString("CampaignId");

    public async Task<NamedSegment?> GetSegmentAsync(string programId, string segmentId, CancellationToken cancellationToken) =>
        await table.GetOrNullAsync<TableEntity>(programId, SegmentPrefix + segmentId, cancellationToken: cancellationToken) is { } row
            ? LoyaltyJson.Deserialize<NamedSegment>(JsonColumns.ReadChunked(row, "Segment"))
            : null;

    public async Task<IReadOnlyList<NamedSegment>> ListSegmentsAsync(string programId, CancellationToken cancellationToken) =>
        [.. (await RangeAsync(programId, SegmentPrefix, cancellationToken))
            .Select(row => LoyaltyJson.Deserialize<NamedSegment>(JsonColumns.ReadChunked(row, "Segment")))];

    public async Task<bool> InsertSegmentAsync(string programId, NamedSegment segment, CancellationToken cancellationToken)
    {
        var row = new TableEntity(programId, SegmentPrefix + segment.SegmentId);
        JsonColumns.WriteChunked(row, "Segment", LoyaltyJson.Serialize(segment));
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }

    private async Task<List<TableEntity>> RangeAsync(string programId, string prefix, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var end = prefix[..^1] + "}";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {programId} and RowKey gt {prefix} and RowKey lt {end}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            rows.Add(row);
        return rows;
    }

    private static TableEntity CampaignRow(string programId, Campaign campaign)
    {
        var row = new TableEntity(programId, CampaignPrefix + campaign.Definition.CampaignId) { ["Status"] = campaign.Status.ToString() };
        JsonColumns.WriteChunked(row, "Campaign", LoyaltyJson.Serialize(campaign));
        return row;
    }

    private static Versioned<Campaign> ReadCampaign(TableEntity row) =>
        new(LoyaltyJson.Deserialize<Campaign>(JsonColumns.ReadChunked(row, "Campaign")), row.ETag.ToString());
}
