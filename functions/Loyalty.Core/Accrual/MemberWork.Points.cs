using Loyalty.Core.Accrual;
using Loyalty.Core.Ledger;
using Loyalty.Core.Tiers;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Members;

/// <summary>Points: earning and taking back, debt, and the point lots that expire by earn month.</summary>
internal sealed partial class MemberWork
{
    /// <summary>Adds earned points to the earn month's lot (after paying off any debt) and qualifying points to the window.</summary>
    public long Earn(string cause, DateOnly on, long points, long qualifying)
    {
        var month = QualificationWindow.FirstOfMonth(on);
        var counted = CountQualifying(month, qualifying);
        if (points != 0 || counted != 0) Entry(LedgerKind.Earned, on, cause, points, qualifying: counted);
        Balance = checked(Balance + points);
        SettleDebt(cause, on);
        SyncLots(month);
        return counted;
    }

    /// <summary>Points coming in pay off debt first, so a member never has both a positive balance and debt.</summary>
    private void SettleDebt(string cause, DateOnly on)
    {
        var repay = Math.Min(Debt, Balance);
        if (repay <= 0) return;
        Debt -= repay;
        Balance -= repay;
        Entry(LedgerKind.DebtRepaid, on, cause, -repay, debt: -repay);
    }

    /// <summary>
    /// Under a rolling window a late receipt from a month already outside the window adds nothing; under the period
    /// policies qualifying points count toward the window open when they arrive.
    /// </summary>
    private long CountQualifying(DateOnly month, long qualifying)
    {
        if (qualifying == 0) return 0;
        if (Policy == TierPolicy.RollingWindow)
        {
            if (month < Window.Start) return 0;
            AddToMonth(qualifyingByMonth, month, qualifying);
        }
        QualifyingPoints = checked(QualifyingPoints + qualifying);
        return qualifying;
    }

    /// <summary>
    /// Takes back what a returned purchase earned. If that leaves the balance short, the purchase's automatic vouchers
    /// that are still open are cancelled (newest first) and their points come back: exactly what the balance would
    /// be had the returned items never been bought. Any remaining shortfall follows the program's debt policy.
    /// </summary>
    public long Reverse(string cause, DateOnly on, ScoredPurchase purchase, long points, long qualifying)
    {
        var month = QualificationWindow.FirstOfMonth(purchase.On);
        var removed = RemoveQualifying(purchase, month, qualifying);
        Entry(LedgerKind.Returned, on, cause, -points, qualifying: -removed);
        Balance = checked(Balance - points);
        for (var i = Vouchers.Count - 1; i >= 0 && Balance < 0; i--)
            if (Vouchers[i] is { Source: VoucherSource.Automatic } v && v.Cause == purchase.Receipt.Id) Cancel(cause, on, i);
        if (Balance < 0 && Definition.DebtPolicy == DebtPolicy.FloorAtZero)
        {
            Debt = checked(Debt - Balance);
            Entry(LedgerKind.DebtRecorded, on, cause, -Balance, debt: -Balance);
            Balance = 0;
        }
        SettleDebt(cause, on);
        SyncLots(month);
        return removed;
    }

    /// <summary>Qualifying points of a window that has closed are final: a return only lowers the window the purchase counted in.</summary>
    private long RemoveQualifying(ScoredPurchase purchase, DateOnly month, long qualifying)
    {
        if (Policy == TierPolicy.RollingWindow)
        {
            var i = qualifyingByMonth.FindIndex(m => m.Month == month);
            if (i < 0) return 0;
            var take = Math.Min(qualifying, qualifyingByMonth[i].Points);
            AddToMonth(qualifyingByMonth, month, -take);
            QualifyingPoints -= take;
            return take;
        }
        if (purchase.CountedInWindow != Window.Start) return 0;
        var removed = Math.Min(qualifying, QualifyingPoints);
        QualifyingPoints -= removed;
        return removed;
    }

    /// <summary>
    /// Keeps the lots adding up to the positive part of the balance: a surplus is added to <paramref name="month"/>;
    /// a shortfall is taken from <paramref name="month"/> first, then from the oldest lots (spending oldest first
    /// means members lose fewest points to expiry).
    /// </summary>
    private void SyncLots(DateOnly? month)
    {
        long sum = 0;
        foreach (var lot in lots) sum = checked(sum + lot.Points);
        var excess = sum - Math.Max(Balance, 0);
        if (excess < 0)
        {
            AddToMonth(lots, month ?? QualificationWindow.FirstOfMonth(ReviewedOn), -excess);
            return;
        }
        if (excess > 0 && month is { } preferred)
        {
            var i = lots.FindIndex(l => l.Month == preferred);
            if (i >= 0) excess -= TakeFrom(i, excess);
        }
        while (excess > 0 && lots.Count > 0) excess -= TakeFrom(0, excess);
    }

    private long TakeFrom(int index, long wanted)
    {
        var lot = lots[index];
        var take = Math.Min(wanted, lot.Points);
        if (take == lot.Points) lots.RemoveAt(index);
        else lots[index] = lot with { Points = lot.Points - take };
        return take;
    }

    private static void AddToMonth(List<MonthPoints> months, DateOnly month, long points)
    {
        var i = months.FindIndex(m => m.Month >= month);
        if (i >= 0 && months[i].Month == month)
        {
            var total = checked(months[i].Points + points);
            if (total == 0) months.RemoveAt(i);
            else months[i] = months[i] with { Points = total };
        }
        else if (points != 0)
        {
            months.Insert(i < 0 ? months.Count : i, new MonthPoints(month, points));
        }
    }

    private void ExpireLots(DateOnly date)
    {
        while (lots.Count > 0 && Program.LotLastValidDay(lots[0].Month) < date)
        {
            var lot = lots[0];
            lots.RemoveAt(0);
            Entry(LedgerKind.Expired, Program.LotLastValidDay(lot.Month).AddDays(1), $"expiry:{lot.Month:yyyy-MM}", -lot.Points);
            Balance -= lot.Points;
        }
    }
}
