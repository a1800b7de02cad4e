using System.Collections.Immutable;
using System.Globalization;
using Azure.Data.Tables;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Members;
using Loyalty.Core.Serialization;
using Loyalty.Core.Statistics;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// ProgramFigures table: PartitionKey the program, RowKey "{yyyyMMdd}|{shard:D4}", one row per night and shard, replaced when
/// the shard is counted again. The nights from a date on are one range of one partition: the dashboard's only read.
/// </summary>
internal sealed class TableFiguresStore(TableClient table) : IFiguresStore
{
    public async Task SaveAsync(string programId, ShardFigures figures, CancellationToken cancellationToken) =>
        await table.UpsertEntityAsync(new TableEntity(programId, RowKey(figures.Night, figures.Shard))
        {
            ["CountedAt"] = figures.CountedAt,
            ["Enrolled"] = figures.Enrolled,
            ["Tiers"] = LoyaltyJson.Serialize(new Dictionary<string, long>(figures.Tiers, StringComparer.Ordinal)),
            ["Points"] = figures.Points,
            ["Debt"] = figures.Debt,
            ["OpenVouchers"] = figures.OpenVouchers,
            // Tables have no decimal type, and a double would not keep öre exactly.
            ["OpenVoucherValue"] = figures.OpenVoucherValue.ToString(CultureInfo.InvariantCulture),
            ["Receipts"] = figures.Totals.Receipts,
            ["PointsEarned"] = figures.Totals.PointsEarned,
            ["VouchersIssued"] = figures.Totals.VouchersIssued,
            ["VouchersRedeemed"] = figures.Totals.VouchersRedeemed,
            ["Upgrades"] = figures.Totals.Upgrades,
            ["Downgrades"] = figures.Totals.Downgrades,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<ShardFigures>> ListAsync(string programId, DateOnly from, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {programId} and RowKey ge {RowKey(from, 0)}");
        var rows = new List<ShardFigures>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            rows.Add(Read(row));
        return rows;
    }

    private static ShardFigures Read(TableEntity row) => new()
    {
        Night = DateOnly.ParseExact(row.RowKey.AsSpan(0, 8), "yyyyMMdd", CultureInfo.InvariantCulture),
        Shard = int.Parse(row.RowKey.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture),
        CountedAt = row.GetDateTimeOffset("CountedAt") ?? default,
        Enrolled = Long(row, "Enrolled"),
        Tiers = LoyaltyJson.Deserialize<Dictionary<string, long>>(row.Required("Tiers")).ToImmutableSortedDictionary(StringComparer.Ordinal),
        Points = Long(row, "Points"),
        Debt = Long(row, "Debt"),
        OpenVouchers = Long(row, "OpenVouchers"),
        OpenVoucherValue = decimal.Parse(row.Required("OpenVoucherValue"), NumberStyles.Number, CultureInfo.InvariantCulture),
        Totals = new MemberTotals
        {
            Receipts = Long(row, "Receipts"),
            PointsEarned = Long(row, "PointsEarned"),
            VouchersIssued = Long(row, "VouchersIssued"),
            VouchersRedeemed = Long(row, "VouchersRedeemed"),
            Upgrades = Long(row, "Upgrades"),
            Downgrades = Long(row, "Downgrades"),
        },
    };

    private static long Long(TableEntity row, string name) => row.GetInt64(name) ?? 0;

    private static string RowKey(DateOnly night, int shard) =>
        $"{night.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}|{shard.ToString("D4", CultureInfo.InvariantCulture)}";
}
