using System.Globalization;
using System.Text;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Serialization;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// Campaigns as the Table store keeps them, a partition per program: <c>c|{id}</c> the campaign (replaced under its
/// ETag), <c>k|{CODE}</c> its coupon's claim, inserted in the campaign's transaction, <c>s|{id}</c> a named segment.
/// </summary>
public sealed class InMemoryCampaignStore(InMemoryTable table) : ICampaignStore
{
    public Task<Versioned<Campaign>?> GetAsync(string programId, string campaignId, CancellationToken cancellationToken) =>
        Task.FromResult(table.Get(programId, "c|" + campaignId) is { } row ? ReadCampaign(row) : null);

    public Task<IReadOnlyList<Versioned<Campaign>>> ListAsync(string programId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Versioned<Campaign>>>([.. Range(programId, "c").Select(ReadCampaign)]);

    public Task<CampaignInsert> InsertAsync(string programId, Campaign campaign, CancellationToken cancellationToken)
    {
        var actions = new List<TableAction>
        {
            new(TableActionKind.Add, programId, "c|" + campaign.Definition.CampaignId, Columns.Pack(LoyaltyJson.Serialize(campaign))),
        };
        if (campaign.Definition.Offer.Code is { } code)
            actions.Add(new TableAction(TableActionKind.Add, programId, CouponKey(code), Columns.Pack(campaign.Definition.CampaignId)));
        try
        {
            table.Submit(actions);
            return Task.FromResult(CampaignInsert.Inserted);
        }
        catch (TableActionFailedException e) when (e.Status == 409)
        {
            return Task.FromResult(e.FailedIndex == 1 ? CampaignInsert.CouponTaken : CampaignInsert.IdTaken);
        }
    }

    public Task<bool> ReplaceAsync(string programId, Campaign campaign, string version, CancellationToken cancellationToken)
    {
        try
        {
            table.Replace(programId, "c|" + campaign.Definition.CampaignId, Columns.Pack(LoyaltyJson.Serialize(campaign)), version);
            return Task.FromResult(true);
        }
        catch (TableActionFailedException e) when (e.Status is 404 or 412)
        {
            return Task.FromResult(false);
        }
    }

    public Task<string?> FindByCouponAsync(string programId, string code, CancellationToken cancellationToken) =>
        Task.FromResult(table.Get(programId, CouponKey(code)) is { } row ? Columns.Unpack(row.Value)[0] : null);

    public Task<NamedSegment?> GetSegmentAsync(string programId, string segmentId, CancellationToken cancellationToken) =>
        Task.FromResult(table.Get(programId, "s|" + segmentId) is { } row ? LoyaltyJson.Deserialize<NamedSegment>(Columns.Unpack(row.Value)[0]!) : null);

    public Task<IReadOnlyList<NamedSegment>> ListSegmentsAsync(string programId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NamedSegment>>(
            [.. Range(programId, "s").Select(row => LoyaltyJson.Deserialize<NamedSegment>(Columns.Unpack(row.Value)[0]!))]);

    public Task<bool> InsertSegmentAsync(string programId, NamedSegment segment, CancellationToken cancellationToken)
    {
        try
        {
            table.Insert(programId, "s|" + segment.SegmentId, Columns.Pack(LoyaltyJson.Serialize(segment)));
            return Task.FromResult(true);
        }
        catch (TableActionFailedException e) when (e.Status == 409)
        {
            return Task.FromResult(false);
        }
    }

    private List<TableRow> Range(string programId, string kind)
    {
        var rows = new List<TableRow>();
        string? from = null;
        do
        {
            var page = table.Query(programId, RowRange.Between(kind + "|", kind + "}"), InMemoryTable.MaxPageSize, from);
            rows.AddRange(page.Rows);
            from = page.Continuation;
        }
        while (from is not null);
        return rows;
    }

    private static string CouponKey(string code) => "k|" + Columns.Escape(code.ToUpperInvariant());

    private static Versioned<Campaign> ReadCampaign(TableRow row) => new(LoyaltyJson.Deserialize<Campaign>(Columns.Unpack(row.Value)[0]!), row.ETag);
}

/// <summary>
/// CampaignDeliveries as the Table store keeps them (partition <c>{program}|{campaign}|{shard:D4}</c>, row
/// <c>{run}|{member}</c>, upserted 100 to a transaction; responses in <c>…|responses</c>) and the audience files as blobs
/// named <c>{program}/{campaign}/{run}/shard-{shard:D4}-{part}.ndjson</c> in <paramref name="exports"/>.
/// </summary>
public sealed class InMemoryCampaignDeliveries(InMemoryTable table, InMemoryBlobs exports) : ICampaignDeliveries
{
    public Task RecordAsync(CampaignRun run, int shard, IReadOnlyList<DeliveryRecord> deliveries, CancellationToken cancellationToken)
    {
        var partition = DeliveryPartition(run.ProgramId, run.CampaignId, shard);
        foreach (var chunk in deliveries.DistinctBy(d => d.MemberId).Chunk(InMemoryTable.MaxActions))
            table.Submit([.. chunk.Select(d => new TableAction(TableActionKind.UpsertReplace, partition, $"{Columns.Escape(run.RunId)}|{d.MemberId}",
                Columns.Pack(d.Channel, Columns.Time(d.At), d.Offer)))]);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeliveryRecord>> ListAsync(CampaignRun run, int shard, CancellationToken cancellationToken)
    {
        var partition = DeliveryPartition(run.ProgramId, run.CampaignId, shard);
        var runKey = Columns.Escape(run.RunId);
        var found = new List<DeliveryRecord>();
        string? from = null;
        do
        {
            var page = table.Query(partition, RowRange.Between(runKey + "|", runKey + "}"), InMemoryTable.MaxPageSize, from);
            foreach (var row in page.Rows)
            {
                var columns = Columns.Unpack(row.Value);
                found.Add(new DeliveryRecord(row.RowKey[(runKey.Length + 1)..], columns[0]!, Columns.ParseTime(columns[1]!), columns[2]));
            }
            from = page.Continuation;
        }
        while (from is not null);
        return Task.FromResult<IReadOnlyList<DeliveryRecord>>(found);
    }

    public Task<string> ExportAsync(CampaignRun run, int shard, string part, IReadOnlyList<AudienceLine> lines, CancellationToken cancellationToken)
    {
        var name = $"{run.ProgramId}/{run.CampaignId}/{Uri.EscapeDataString(run.RunId)}/shard-{Columns.Shard(shard)}-{Uri.EscapeDataString(part)}.ndjson";
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(LoyaltyJson.Serialize(line)).Append('\n');
        exports.Write(name, Encoding.UTF8.GetBytes(text.ToString()));
        return Task.FromResult($"{exports.Name}/{name}");
    }

    public Task<IReadOnlyList<string>> ListExportsAsync(string programId, string campaignId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. exports.List($"{programId}/{campaignId}/").Select(name => $"{exports.Name}/{name}")]);

    public Task RecordResponseAsync(string programId, CampaignResponse response, CancellationToken cancellationToken)
    {
        table.Upsert(ResponsePartition(programId, response.CampaignId), $"{response.Kind}|{Columns.Escape(response.ReceiptId)}",
            Columns.Pack(response.ReceiptId, response.MemberId, response.Amount.ToString(CultureInfo.InvariantCulture), Columns.Time(response.At)));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CampaignResponse>> ListResponsesAsync(string programId, string campaignId, CancellationToken cancellationToken)
    {
        var found = new List<CampaignResponse>();
        string? from = null;
        do
        {
            var page = table.Query(ResponsePartition(programId, campaignId), new RowRange("", true, "~", false), InMemoryTable.MaxPageSize, from);
            foreach (var row in page.Rows)
            {
                var columns = Columns.Unpack(row.Value);
                var kind = Enum.Parse<ResponseKind>(row.RowKey[..row.RowKey.IndexOf('|', StringComparison.Ordinal)]);
                found.Add(new CampaignResponse(campaignId, kind, columns[0]!, columns[1],
                    decimal.Parse(columns[2]!, NumberStyles.Number, CultureInfo.InvariantCulture), Columns.ParseTime(columns[3]!)));
            }
            from = page.Continuation;
        }
        while (from is not null);
        return Task.FromResult<IReadOnlyList<CampaignResponse>>(found);
    }

    private static string DeliveryPartition(string programId, string campaignId, int shard) => $"{programId}|{campaignId}|{Columns.Shard(shard)}";

    private static string ResponsePartition(string programId, string campaignId) => $"{programId}|{campaignId}|responses";
}
