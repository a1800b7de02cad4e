using Loyalty.Core.Programs;

namespace Loyalty.Core.Statistics;

/// <summary>
/// A program's figures as of the latest night every shard has been counted (<see cref="ShardFigures"/>): members per tier,
/// the points liability and open vouchers then, and per night what happened since the night before it was counted.
/// Nothing here is fresher than that night's count: activity since shows up after the next night.
/// </summary>
public sealed record ProgramFigures
{
    /// <summary>The latest night with every shard counted; null before the first.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>When that night's last shard was counted.</summary>
    public DateTimeOffset? CountedAt { get; init; }

    public required string Currency { get; init; }

    /// <summary>What one point is worth in <see cref="Currency"/> (<see cref="PointValueOf"/>); null when points buy no vouchers.</summary>
    public decimal? PointValue { get; init; }

    /// <summary>Members per tier, in the program's tier order (tiers no longer in the program after it).</summary>
    public IReadOnlyList<TierFigure> Tiers { get; init; } = [];

    public PointsLiability Liability { get; init; } = new(0, 0, null);
    public VoucherFigures Vouchers { get; init; } = new(0, 0m, 0, 0);

    /// <summary>Complete nights after the first one asked for, oldest first, each with what happened since the previous complete night.</summary>
    public IReadOnlyList<NightFigures> Nights { get; init; } = [];

    /// <summary>The figures from the shard rows of a range of nights; nights missing a shard (still running, or never run) are left out.</summary>
    public static ProgramFigures From(ProgramDefinition program, int shards, IEnumerable<ShardFigures> rows)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(rows);
        var pointValue = PointValueOf(program);
        var nights = rows.Where(r => r.Shard >= 0 && r.Shard < shards)
            .GroupBy(r => r.Night)
            .Select(night => night.DistinctBy(r => r.Shard).ToList())
            .Where(night => night.Count == shards)
            .Select(Sum)
            .OrderBy(n => n.Night)
            .ToList();
        if (nights.Count == 0) return new ProgramFigures { Currency = program.Currency, PointValue = pointValue };

        var last = nights[^1];
        var order = program.Tiers.Select(t => t.Name).ToList();
        var tiers = order.Select(name => new TierFigure(name, last.Tiers.GetValueOrDefault(name)))
            .Concat(last.Tiers.Where(t => !order.Contains(t.Key)).Select(t => new TierFigure(t.Key, t.Value)))
            .ToList();
        return new ProgramFigures
        {
            AsOf = last.Night,
            CountedAt = last.CountedAt,
            Currency = program.Currency,
            PointValue = pointValue,
            Tiers = tiers,
            Liability = new PointsLiability(last.Points, last.Debt,
                pointValue is { } value ? Math.Round(last.Points * value, 2, MidpointRounding.AwayFromZero) : null),
            Vouchers = new VoucherFigures(last.OpenVouchers, last.OpenVoucherValue, last.Totals.VouchersIssued, last.Totals.VouchersRedeemed),
            Nights = [.. nights.Zip(nights.Skip(1), Between)],
        };
    }

    /// <summary>
    /// What a point is worth: the best rate points buy vouchers at (automatic conversion, or the best till denomination),
    /// the most the program can owe for them; null when points buy no vouchers.
    /// </summary>
    public static decimal? PointValueOf(ProgramDefinition program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var rates = program.Vouchers.Denominations.Where(d => d.Points > 0).Select(d => d.Value / d.Points).ToList();
        if (program.Vouchers.Automatic is { EveryPoints: > 0 } automatic) rates.Add(automatic.Value / automatic.EveryPoints);
        return rates.Count == 0 ? null : rates.Max();
    }

    private static ShardFigures Sum(IReadOnlyList<ShardFigures> night) => night.Aggregate((a, b) => a with
    {
        CountedAt = a.CountedAt > b.CountedAt ? a.CountedAt : b.CountedAt,
        Enrolled = a.Enrolled + b.Enrolled,
        Tiers = b.Tiers.Aggregate(a.Tiers, (tiers, t) => tiers.SetItem(t.Key, tiers.GetValueOrDefault(t.Key) + t.Value)),
        Points = a.Points + b.Points,
        Debt = a.Debt + b.Debt,
        OpenVouchers = a.OpenVouchers + b.OpenVouchers,
        OpenVoucherValue = a.OpenVoucherValue + b.OpenVoucherValue,
        Totals = a.Totals + b.Totals,
    });

    private static NightFigures Between(ShardFigures before, ShardFigures night)
    {
        var done = night.Totals - before.Totals;
        return new NightFigures(night.Night, before.Night, night.Tiers.Values.Sum(), night.Enrolled - before.Enrolled, done.Receipts, done.PointsEarned,
            done.Upgrades, done.Downgrades, done.VouchersIssued, done.VouchersRedeemed);
    }
}

public sealed record TierFigure(string Tier, long Members);

/// <summary>Points members hold (<see cref="Points"/>, worth <see cref="Value"/>) and owe (<see cref="Debt"/>).</summary>
public sealed record PointsLiability(long Points, long Debt, decimal? Value);

/// <summary>Vouchers open now (and their face value), and issued and redeemed since the program's figures began.</summary>
public sealed record VoucherFigures(long Open, decimal OpenValue, long Issued, long Redeemed);

/// <summary>What happened between the counts of <see cref="Since"/> and <see cref="Night"/>, and the members (not erased) at <see cref="Night"/>.</summary>
public sealed record NightFigures(
    DateOnly Night, DateOnly Since, long Members, long Enrolments, long Receipts, long PointsEarned, long Upgrades, long Downgrades,
    long VouchersIssued, long VouchersRedeemed);
