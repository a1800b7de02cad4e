using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Members;

/// <summary>Vouchers: issuing (conversions, birthday rewards), redeeming, cancelling and expiring.</summary>
internal sealed partial class MemberWork
{
    /// <summary>
    /// The open-voucher cap keeps the state bounded. Whatever waits for room (a conversion, a full card, a birthday
    /// reward) happens at the next purchase or review once a voucher is redeemed or expires; nothing is lost.
    /// </summary>
    public bool HasRoom => Vouchers.Count < Definition.Vouchers.MaxOpen;

    /// <summary>Automatic vouchers: convert points while the balance reaches the threshold and the open-voucher cap allows.</summary>
    public void ConvertPoints(string cause, DateOnly on)
    {
        if (Definition.Vouchers.Automatic is not { } rule) return;
        for (var n = 1; Balance >= rule.EveryPoints && HasRoom; n++)
            IssueVoucher(cause, on, $"{cause}:auto:{n}", VoucherSource.Automatic, rule.Value, Definition.Vouchers.ValidDays, rule.EveryPoints);
    }

    public Voucher IssueVoucher(string cause, DateOnly on, string id, VoucherSource source, decimal value, int validDays, long pointsCost,
        Reward? reward = null, string? stampCardId = null)
    {
        var voucher = new Voucher
        {
            Id = id,
            Source = source,
            Value = value,
            Currency = Program.Currency,
            IssuedOn = on,
            ExpiresOn = on.AddDays(validDays),
            PointsCost = pointsCost,
            Cause = cause,
            StampCardId = stampCardId,
            FreeItem = reward?.FreeItem,
        };
        Vouchers.Add(voucher);
        issued.Add(voucher);
        Balance -= pointsCost;
        Entry(LedgerKind.VoucherIssued, on, cause, -pointsCost, reference: id);
        if (pointsCost > 0) SyncLots(null);
        events.Add(
            new VoucherIssued(EventId(cause, "voucher.issued", id), Program.ProgramId, MemberId, on, id, source, value, Program.Currency, voucher.ExpiresOn));
        return voucher;
    }

    public void Redeem(string cause, DateOnly on, Voucher voucher, decimal amount)
    {
        Vouchers.Remove(voucher);
        redeemed.Add(voucher.Id);
        Entry(LedgerKind.VoucherRedeemed, on, cause, 0, reference: voucher.Id);
        events.Add(new VoucherRedeemed(EventId(cause, "voucher.redeemed", voucher.Id), Program.ProgramId, MemberId, on, voucher.Id, amount, cause));
    }

    private void Cancel(string cause, DateOnly on, int index)
    {
        var voucher = Vouchers[index];
        Vouchers.RemoveAt(index);
        cancelled.Add(voucher.Id);
        Balance = checked(Balance + voucher.PointsCost);
        Entry(LedgerKind.VoucherCancelled, on, cause, voucher.PointsCost, reference: voucher.Id);
        events.Add(new VoucherCancelled(EventId(cause, "voucher.cancelled", voucher.Id), Program.ProgramId, MemberId, on, voucher.Id, voucher.Value, cause));
    }

    private void ExpireVouchers(DateOnly date)
    {
        for (var i = 0; i < Vouchers.Count;)
        {
            var voucher = Vouchers[i];
            if (voucher.ExpiresOn >= date)
            {
                i++;
                continue;
            }
            Vouchers.RemoveAt(i);
            ExpiredNow.Add(voucher.Id);
            var cause = $"voucher-expiry:{voucher.Id}";
            var on = voucher.ExpiresOn.AddDays(1);
            Entry(LedgerKind.VoucherExpired, on, cause, 0, reference: voucher.Id);
            events.Add(new VoucherExpired(EventId(cause, "voucher.expired"), Program.ProgramId, MemberId, on, voucher.Id, voucher.Value));
        }
    }

    private void IssueBirthdayReward(DateOnly date)
    {
        if (Definition.BirthdayReward is not { } reward || original.Birthday is not { } birthday || BirthdayRewardYear >= date.Year || !HasRoom) return;
        var day = MemberReview.BirthdayIn(birthday, date.Year);
        // Late catch-up still gives the reward while it would be valid; a birthday before enrolment gives none.
        if (day > date || day < original.EnrolledOn || day.AddDays(reward.ValidDays) < date) return;
        BirthdayRewardYear = date.Year;
        var cause = $"birthday:{date.Year}";
        IssueVoucher(cause, day, cause, VoucherSource.Birthday, reward.Value, reward.ValidDays, 0, reward);
    }
}
