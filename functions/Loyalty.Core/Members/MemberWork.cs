using Loyalty.Core.Accrual;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Programs;
using Loyalty.Core.StampCards;
using Loyalty.Core.Tiers;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Members;

/// <summary>
/// A mutable working copy of one member used inside a single pure transition: every rule changes the state
/// through these methods, which write the matching ledger entries and events, so no rule can forget them.
/// Nothing escapes except through <see cref="ToTransition"/>.
/// </summary>
internal sealed class MemberWork
{
    private readonly MemberState original;
    private readonly List<MonthPoints> lots;
    private readonly List<MonthPoints> qualifyingByMonth;
    private readonly List<StampCardProgress> cards;
    private readonly List<LedgerEntry> ledger = [];
    private readonly List<DomainEvent> events = [];
    private readonly List<Voucher> issued = [];
    private readonly List<string> redeemed = [];
    private readonly List<string> cancelled = [];
    private readonly List<StampChange> stampChanges = [];

    public MemberWork(MemberState state, CompiledProgram program)
    {
        original = state;
        Program = program;
        Tier = state.Tier;
        CarriedTier = state.CarriedTier;
        Window = new QualificationWindow(state.WindowStart, state.WindowEnd);
        QualifyingPoints = state.QualifyingPoints;
        Balance = state.Balance;
        Debt = state.Debt;
        ReviewedOn = state.ReviewedOn;
        BirthdayRewardYear = state.BirthdayRewardYear;
        lots = [.. state.Lots];
        qualifyingByMonth = [.. state.QualifyingByMonth];
        Vouchers = [.. state.Vouchers];
        cards = [.. state.StampCards];
        TierBefore = state.Tier;
    }

    public CompiledProgram Program { get; }
    public string MemberId => original.MemberId;
    public DateOnly MemberEnrolledOn => original.EnrolledOn;
    public string Tier { get; private set; }
    public string TierBefore { get; }
    public string CarriedTier { get; private set; }
    public QualificationWindow Window { get; private set; }
    public long QualifyingPoints { get; private set; }
    public long Balance { get; private set; }
    public long Debt { get; private set; }
    public DateOnly ReviewedOn { get; private set; }
    public int BirthdayRewardYear { get; private set; }
    public List<Voucher> Vouchers { get; }
    public IReadOnlyList<MonthPoints> Lots => lots;
    public IReadOnlyList<MonthPoints> QualifyingByMonth => qualifyingByMonth;
    public IReadOnlyList<StampCardProgress> Cards => cards;

    /// <summary>Voucher ids that expired while this transition caught up, so a redemption can say "expired" rather than "not open".</summary>
    public HashSet<string> ExpiredNow { get; } = [];

    private TierPolicy Policy => Program.Definition.TierPolicy;
    private ProgramDefinition Definition => Program.Definition;

    private MemberState Finish() => original with
    {
        Tier = Tier,
        CarriedTier = CarriedTier,
        WindowStart = Window.Start,
        WindowEnd = Window.End,
        QualifyingPoints = QualifyingPoints,
        QualifyingByMonth = [.. qualifyingByMonth],
        Balance = Balance,
        Debt = Debt,
        Lots = [.. lots],
        Vouchers = [.. Vouchers],
        StampCards = [.. cards],
        ReviewedOn = ReviewedOn,
        BirthdayRewardYear = BirthdayRewardYear,
    };

    public Transition ToTransition(string operationId, long pointsEarned = 0, long qualifyingEarned = 0, decimal discount = 0m, IReadOnlyList<StampTransfer>? transfers = null)
    {
        var state = Finish();
        return new Transition(state, ledger, events, new Outcome
        {
            OperationId = operationId,
            MemberId = MemberId,
            PointsEarned = pointsEarned,
            QualifyingPointsEarned = qualifyingEarned,
            Balance = Balance,
            Debt = Debt,
            QualifyingPoints = QualifyingPoints,
            TierBefore = TierBefore,
            TierAfter = Tier,
            Discount = discount,
            VouchersIssued = issued,
            VouchersRedeemed = redeemed,
            VouchersCancelled = cancelled,
            Stamps = stampChanges,
            StampTransfers = transfers ?? [],
        });
    }

    // ---- time -------------------------------------------------------------------------------------------

    /// <summary>
    /// Brings the member up to <paramref name="date"/>: closes ended windows under the tier policy, expires point lots
    /// and vouchers, hands out a due birthday reward. Only moves forward, so running it twice for a date is a no-op.
    /// </summary>
    public void AdvanceTo(DateOnly date)
    {
        if (date <= ReviewedOn) return;
        if (Policy == TierPolicy.RollingWindow)
        {
            if (date > Window.End) SlideRollingWindow(Program.WindowAt(MemberEnrolledOn, date));
        }
        else
        {
            while (date > Window.End) CloseWindow();
        }
        ExpireLots(date);
        ExpireVouchers(date);
        IssueBirthdayReward(date);
        var cause = $"review:{date:yyyy-MM-dd}";
        ConvertPoints(cause, date);
        CompleteWaitingCards(cause, date);
        ReviewedOn = date;
    }

    private void CloseWindow()
    {
        var cause = $"window:{Window.End:yyyy-MM-dd}";
        var next = Program.WindowAt(MemberEnrolledOn, Window.End.AddDays(1));
        var qualified = Program.QualifiedTier(QualifyingPoints);
        var carried = Policy switch
        {
            TierPolicy.ResetToBase => 0,
            TierPolicy.DropOneTier => Math.Max(qualified, Math.Max(Program.TierIndex(CarriedTier), qualified) - 1),
            _ => qualified,
        };
        CarriedTier = Program.TierNames[carried];
        if (QualifyingPoints != 0)
        {
            Entry(LedgerKind.QualifyingReset, next.Start, cause, 0, qualifying: -QualifyingPoints);
            QualifyingPoints = 0;
        }
        Window = next;
        UpdateTier(cause, next.Start);
    }

    private void SlideRollingWindow(QualificationWindow window)
    {
        var cause = $"window:{window.Start:yyyy-MM-dd}";
        for (var i = qualifyingByMonth.Count - 1; i >= 0; i--)
        {
            if (qualifyingByMonth[i].Month >= window.Start) continue;
            var lapsed = qualifyingByMonth[i];
            Entry(LedgerKind.QualifyingLapsed, window.Start, cause, 0, qualifying: -lapsed.Points, reference: $"{lapsed.Month:yyyy-MM}");
            QualifyingPoints -= lapsed.Points;
            qualifyingByMonth.RemoveAt(i);
        }
        Window = window;
        UpdateTier(cause, window.Start);
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

    // ---- points -----------------------------------------------------------------------------------------

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

    // ---- vouchers ---------------------------------------------------------------------------------------

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

    public Voucher IssueVoucher(string cause, DateOnly on, string id, VoucherSource source, decimal value, int validDays, long pointsCost, Reward? reward = null, string? stampCardId = null)
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
        events.Add(new VoucherIssued(EventId(cause, "voucher.issued", id), Program.ProgramId, MemberId, on, id, source, value, Program.Currency, voucher.ExpiresOn));
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

    // ---- stamp cards ------------------------------------------------------------------------------------

    /// <summary>Adds stamps; each time the card is full it restarts and a reward voucher is issued.</summary>
    public void AddStamps(string cause, DateOnly on, CompiledStampCard card, int stamps)
    {
        var (index, progress) = Card(card.Definition.Id);
        Entry(LedgerKind.StampsAdded, on, cause, 0, stamps: stamps, reference: card.Definition.Id);
        SetCard(index, Complete(cause, on, card, progress with { Stamps = checked(progress.Stamps + stamps) }), stamps);
    }

    private void CompleteWaitingCards(string cause, DateOnly on)
    {
        foreach (var card in Program.StampCards)
        {
            var (index, progress) = Card(card.Definition.Id);
            if (index >= 0 && progress.Stamps >= card.Definition.StampsForReward) cards[index] = Complete(cause, on, card, progress);
        }
    }

    private StampCardProgress Complete(string cause, DateOnly on, CompiledStampCard card, StampCardProgress progress)
    {
        var definition = card.Definition;
        for (var n = 1; progress.Stamps >= definition.StampsForReward && HasRoom; n++)
        {
            progress = progress with { Stamps = progress.Stamps - definition.StampsForReward, Completed = progress.Completed + 1 };
            var id = $"{cause}:card:{definition.Id}:{n}";
            IssueVoucher(cause, on, id, VoucherSource.StampCard, definition.Reward.Value, definition.Reward.ValidDays, 0, definition.Reward, definition.Id);
            events.Add(new StampCardCompleted(EventId(cause, "stamp_card.completed", id), Program.ProgramId, MemberId, on, definition.Id, id, progress.Completed));
        }
        return progress;
    }

    /// <summary>
    /// Takes back stamps. If the card would go below zero, rewards the original receipt completed and that are still
    /// open are cancelled and their stamps restored; stamps owed beyond that are forgiven (the card stops at 0).
    /// </summary>
    public void RemoveStamps(string cause, DateOnly on, CompiledStampCard card, int stamps, string originalCause)
    {
        var definition = card.Definition;
        var (index, progress) = Card(definition.Id);
        var (count, completed) = (progress.Stamps - stamps, progress.Completed);
        for (var i = Vouchers.Count - 1; i >= 0 && count < 0; i--)
        {
            if (Vouchers[i] is not { Source: VoucherSource.StampCard } v || v.StampCardId != definition.Id || v.Cause != originalCause) continue;
            Cancel(cause, on, i);
            count += definition.StampsForReward;
            completed--;
        }
        count = Math.Max(count, 0);
        var delta = count - progress.Stamps;
        Entry(LedgerKind.StampsRemoved, on, cause, 0, stamps: delta, reference: definition.Id);
        SetCard(index, new StampCardProgress(definition.Id, count, completed), delta);
    }

    private (int Index, StampCardProgress Progress) Card(string id)
    {
        var i = cards.FindIndex(c => c.CardId == id);
        return i >= 0 ? (i, cards[i]) : (-1, new StampCardProgress(id, 0, 0));
    }

    private void SetCard(int index, StampCardProgress progress, int added)
    {
        if (index >= 0) cards[index] = progress;
        else cards.Add(progress);
        stampChanges.Add(new StampChange(progress.CardId, added, progress.Stamps, progress.Completed));
    }

    // ---- tiers ------------------------------------------------------------------------------------------

    public int TierIndex => Program.TierIndex(Tier);

    /// <summary>The tier the rules give right now: the window's own points, or a tier carried from an earlier window if higher.</summary>
    private int CurrentTier() => Policy is TierPolicy.RollingWindow or TierPolicy.ResetToBase
        ? Program.QualifiedTier(QualifyingPoints)
        : Math.Max(Program.TierIndex(CarriedTier), Program.QualifiedTier(QualifyingPoints));

    public void UpdateTier(string cause, DateOnly on)
    {
        var before = Program.TierIndex(Tier);
        var after = CurrentTier();
        var name = Program.TierNames[after];
        if (name == Tier) return;
        var from = Tier;
        Tier = name;
        if (after > before)
            events.Add(new TierUpgraded(EventId(cause, "tier.upgraded", name), Program.ProgramId, MemberId, on, from, name, TierEvaluator.HoldsUntil(this)));
        else
            events.Add(new TierDowngraded(EventId(cause, "tier.downgraded", name), Program.ProgramId, MemberId, on, from, name));
    }

    /// <summary>Fires when this operation brought the member within the program's margin of the next tier.</summary>
    public void NotifyNearNextTier(string cause, DateOnly on, int tierBefore, long qualifyingBefore)
    {
        var margin = Definition.NearNextTierMargin;
        var tier = TierIndex;
        if (margin <= 0 || tier + 1 >= Program.TierThresholds.Length) return;
        var left = Program.TierThresholds[tier + 1] - QualifyingPoints;
        if (left <= 0 || left > margin) return;
        var wasNear = tier == tierBefore && Program.TierThresholds[tier + 1] - qualifyingBefore <= margin;
        if (wasNear) return;
        var deadline = Policy == TierPolicy.RollingWindow ? (DateOnly?)null : Window.End;
        events.Add(new NearNextTier(EventId(cause, "tier.near_next"), Program.ProgramId, MemberId, on, Program.TierNames[tier + 1], left, deadline));
    }

    // ---- campaigns --------------------------------------------------------------------------------------

    /// <summary>Tells the outbox to send a campaign's message; the offer itself went through the methods above.</summary>
    public void DeliverCampaign(CampaignDispatch dispatch, string? voucherId, long bonusPoints) =>
        events.Add(new CampaignDelivered(EventId(dispatch.OperationId, "campaign.delivered"), Program.ProgramId, MemberId, dispatch.On,
            dispatch.CampaignId, dispatch.RunId, dispatch.Channel, dispatch.Message, dispatch.Offer.Code, voucherId, bonusPoints));

    // ---- ledger and event ids ---------------------------------------------------------------------------

    private void Entry(LedgerKind kind, DateOnly on, string cause, long points, long qualifying = 0, long debt = 0, int stamps = 0, string? reference = null)
    {
        var n = 0;
        foreach (var e in ledger)
            if (e.Cause == cause) n++;
        ledger.Add(new LedgerEntry($"{MemberId}/{cause}/{n}", MemberId, kind, on, cause, points, qualifying, debt, stamps, reference));
    }

    private string EventId(string cause, string kind, string? detail = null) =>
        detail is null ? $"{MemberId}/{cause}/{kind}" : $"{MemberId}/{cause}/{kind}/{detail}";
}
