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
/// Nothing escapes except through <see cref="ToTransition"/>. The rules of each feature are in the part beside it:
/// Accrual/ (points), Vouchers/, StampCards/, Tiers/ and Campaigns/.
/// </summary>
internal sealed partial class MemberWork
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
    private int receipts;

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
        Totals = original.Totals.After(receipts, ledger, events),
    };

    /// <summary>Counts the transition as one receipt applied (<see cref="MemberTotals.Receipts"/>).</summary>
    public void CountReceipt() => receipts++;

    public Transition ToTransition(string operationId, long pointsEarned = 0, long qualifyingEarned = 0, decimal discount = 0m,
        IReadOnlyList<StampTransfer>? transfers = null)
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
