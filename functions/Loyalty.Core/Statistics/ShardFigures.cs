using System.Collections.Immutable;
using Loyalty.Core.Members;

namespace Loyalty.Core.Statistics;

/// <summary>
/// One Members shard of a program counted on one night, after its nightly review: the members per tier, their points and
/// open vouchers now, and the sum of their ever-growing <see cref="MemberTotals"/>. A night's rows, one per shard, add up
/// to the program's figures (<see cref="ProgramFigures"/>); two nights' totals differ by exactly what happened between
/// the two counts, because each member's totals change only in the transaction that does what they count.
/// </summary>
public sealed record ShardFigures
{
    public required DateOnly Night { get; init; }
    public required int Shard { get; init; }
    public required DateTimeOffset CountedAt { get; init; }

    /// <summary>Every member row, erased ones included (erasure keeps the row), so its growth is the enrolments.</summary>
    public long Enrolled { get; init; }

    /// <summary>Members not erased, per tier.</summary>
    public ImmutableSortedDictionary<string, long> Tiers { get; init; } = ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);

    /// <summary>Spendable points of members not erased (positive balances only: a negative balance is owed to the program).</summary>
    public long Points { get; init; }

    /// <summary>Points members not erased owe: recorded debt and negative balances.</summary>
    public long Debt { get; init; }

    public long OpenVouchers { get; init; }
    public decimal OpenVoucherValue { get; init; }

    /// <summary>The members' totals, erased ones included, so the sum never shrinks.</summary>
    public MemberTotals Totals { get; init; } = MemberTotals.Zero;

    public static ShardFigures Empty(DateOnly night, int shard, DateTimeOffset countedAt) => new() { Night = night, Shard = shard, CountedAt = countedAt };

    /// <summary>These figures with <paramref name="members"/> counted in (a page of the shard at a time).</summary>
    public ShardFigures With(IEnumerable<CountedMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var (enrolled, points, debt, vouchers, voucherValue, totals) = (Enrolled, Points, Debt, OpenVouchers, OpenVoucherValue, Totals);
        var tiers = Tiers.ToBuilder();
        foreach (var (state, erased) in members)
        {
            enrolled++;
            totals += state.Totals;
            if (erased) continue;
            tiers[state.Tier] = tiers.GetValueOrDefault(state.Tier) + 1;
            points += Math.Max(state.Balance, 0);
            debt += state.Debt - Math.Min(state.Balance, 0);
            vouchers += state.Vouchers.Length;
            voucherValue += state.Vouchers.Sum(v => v.Value);
        }
        return this with
        {
            Enrolled = enrolled, Tiers = tiers.ToImmutable(), Points = points, Debt = debt, OpenVouchers = vouchers,
            OpenVoucherValue = voucherValue, Totals = totals,
        };
    }
}

/// <summary>A member as the figures count it: its state, and whether it was erased (counted in the totals only).</summary>
public readonly record struct CountedMember(MemberState State, bool Erased);
