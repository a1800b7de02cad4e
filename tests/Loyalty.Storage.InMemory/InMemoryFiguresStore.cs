using System.Collections.Immutable;
using System.Globalization;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Members;
using Loyalty.Core.Serialization;
using Loyalty.Core.Statistics;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// The ProgramFigures table as the Table store keeps it: a partition per program, RowKey "{yyyyMMdd}|{shard:D4}", one row
/// per night and shard, replaced when the shard is counted again; the nights from a date on read as one range.
/// </summary>
public sealed class InMemoryFiguresStore(InMemoryTable table) : IFiguresStore
{
    public Task SaveAsync(string programId, ShardFigures figures, CancellationToken cancellationToken)
    {
        var totals = figures.Totals;
        table.Upsert(programId, RowKey(figures.Night, figures.Shard), Columns.Pack(
            Columns.Time(figures.CountedAt),
            Number(figures.Enrolled),
            LoyaltyJson.Serialize(new Dictionary<string, long>(figures.Tiers, StringComparer.Ordinal)),
            Number(figures.Points),
            Number(figures.Debt),
            Number(figures.OpenVouchers),
            figures.OpenVoucherValue.ToString(CultureInfo.InvariantCulture),
            Number(totals.Receipts),
            Number(totals.PointsEarned),
            Number(totals.VouchersIssued),
            Number(totals.VouchersRedeemed),
            Number(totals.Upgrades),
            Number(totals.Downgrades)));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ShardFigures>> ListAsync(string programId, DateOnly from, CancellationToken cancellationToken)
    {
        // RowKeys are digits and '|': ':' sorts after every one of them.
        var range = new RowRange(RowKey(from, 0), true, ":", false);
        var rows = new List<ShardFigures>();
        string? next = null;
        do
        {
            var page = table.Query(programId, range, InMemoryTable.MaxPageSize, next);
            rows.AddRange(page.Rows.Select(Read));
            next = page.Continuation;
        }
        while (next is not null);
        return Task.FromResult<IReadOnlyList<ShardFigures>>(rows);
    }

    private static ShardFigures Read(TableRow row)
    {
        var c = Columns.Unpack(row.Value);
        return new ShardFigures
        {
            Night = Columns.ParseDate(row.RowKey[..8]),
            Shard = int.Parse(row.RowKey.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture),
            CountedAt = Columns.ParseTime(c[0]!),
            Enrolled = Long(c[1]),
            Tiers = LoyaltyJson.Deserialize<Dictionary<string, long>>(c[2]!).ToImmutableSortedDictionary(StringComparer.Ordinal),
            Points = Long(c[3]),
            Debt = Long(c[4]),
            OpenVouchers = Long(c[5]),
            OpenVoucherValue = decimal.Parse(c[6]!, NumberStyles.Number, CultureInfo.InvariantCulture),
            Totals = new MemberTotals
            {
                Receipts = Long(c[7]),
                PointsEarned = Long(c[8]),
                VouchersIssued = Long(c[9]),
                VouchersRedeemed = Long(c[10]),
                Upgrades = Long(c[11]),
                Downgrades = Long(c[12]),
            },
        };
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long Long(string? text) => long.Parse(text!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static string RowKey(DateOnly night, int shard) => $"{Columns.Date(night)}|{Columns.Shard(shard)}";
}
