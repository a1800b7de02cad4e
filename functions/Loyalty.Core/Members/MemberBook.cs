using System.Collections.Immutable;
using Loyalty.Core.Accrual;
using Loyalty.Core.Campaigns;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.StampCards;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;

namespace Loyalty.Core.Members;

/// <summary>
/// The member aggregate: the state plus one record per applied operation, keyed by operation id. It is the
/// in-memory mirror of the storage rule "insert the receipt row in the same transaction as the state update; on
/// conflict return the stored outcome": an operation whose id is already recorded changes nothing and returns its
/// first outcome (<see cref="BookChange.Replayed"/>).
/// </summary>
public sealed record MemberBook(MemberState State, ImmutableDictionary<string, OperationRecord> Records)
{
    /// <summary>A book without records: for a review, which needs none, or a batch whose store refuses a recorded operation itself.</summary>
    public MemberBook(MemberState state)
        : this(state, ImmutableDictionary<string, OperationRecord>.Empty)
    {
    }

    /// <summary>A new member in the base tier, with the welcome reward if the program has one.</summary>
    public static Result<BookChange> Enrol(CompiledProgram program, string memberId, DateOnly enrolledOn, DateOnly? birthday = null)
    {
        var errors = new ErrorList();
        errors.Identifier(memberId, "memberId");
        if (errors.Any) return Result<BookChange>.Fail(errors.Items);
        var window = program.WindowAt(enrolledOn, enrolledOn);
        var state = new MemberState
        {
            ProgramId = program.ProgramId,
            MemberId = memberId,
            EnrolledOn = enrolledOn,
            Birthday = birthday,
            Tier = program.BaseTier,
            CarriedTier = program.BaseTier,
            WindowStart = window.Start,
            WindowEnd = window.End,
            ReviewedOn = enrolledOn.AddDays(-1),
        };
        var work = new MemberWork(state, program);
        if (program.Definition.WelcomeReward is { } welcome)
            work.IssueVoucher("welcome", enrolledOn, "welcome", VoucherSource.Welcome, welcome.Value, welcome.ValidDays, 0, welcome);
        work.AdvanceTo(enrolledOn);
        var transition = work.ToTransition("enrol");
        return Record(new MemberBook(transition.State), transition, null);
    }

    /// <summary>
    /// Applies a purchase, or a return when <see cref="Receipt.ReturnOf"/> is set. The receipt is scored by the
    /// program version in force at its purchase time; the time zone of that version gives its date.
    /// </summary>
    public Result<BookChange> Apply(Receipt receipt, ProgramCatalog programs, DateTimeOffset now, TimeSpan? maxClockSkew = null)
    {
        if (Replayed(receipt.Id ?? "") is { } done) return done;
        if (programs.At(receipt.PurchasedAt) is not { } program)
            return Result<BookChange>.Fail(ErrorCodes.NoProgramVersion, "purchasedAt", $"No version of the program was in force at {receipt.PurchasedAt:O}.");
        var errors = new ErrorList();
        errors.AddRange(ReceiptValidator.Validate(receipt, program, now, maxClockSkew));
        if (receipt.MemberId != State.MemberId)
            errors.Add(ErrorCodes.MemberMismatch, "memberId", $"The receipt is for member '{receipt.MemberId}', not '{State.MemberId}'.");
        if (errors.Any) return Result<BookChange>.Fail(errors.Items);
        return Checked(() => receipt.ReturnOf is { } originalId ? ApplyReturn(receipt, originalId, program, programs) : ApplyPurchase(receipt, program));
    }

    private Result<BookChange> ApplyPurchase(Receipt receipt, CompiledProgram program)
    {
        var result = PurchaseAccrual.Apply(State, program, receipt);
        if (!result.IsValid) return Result<BookChange>.Fail(result.Errors);
        var (transition, purchase) = result.Value;
        return Record(this with { State = transition.State }, transition, purchase);
    }

    private Result<BookChange> ApplyReturn(Receipt receipt, string originalId, CompiledProgram program, ProgramCatalog programs)
    {
        if (!Records.TryGetValue(originalId, out var record))
            return Result<BookChange>.Fail(ErrorCodes.ReturnOfUnknownReceipt, "returnOf",
                $"Member '{State.MemberId}' has no purchase '{originalId}' to return.");
        if (record.Purchase is not { } original)
            return Result<BookChange>.Fail(ErrorCodes.ReturnOfReturn, "returnOf",
                $"'{originalId}' is not a purchase (it is a return or another operation); return the original purchase instead.");
        var originalProgram = programs.Version(original.ProgramVersion) ?? program;
        var result = ReturnAccrual.Apply(State, program, receipt, original, originalProgram);
        if (!result.IsValid) return Result<BookChange>.Fail(result.Errors);
        var (transition, updated) = result.Value;
        var returned = record with { Purchase = updated };
        return Record(this with { State = transition.State, Records = Records.SetItem(originalId, returned) }, transition, null, returned);
    }

    /// <summary>
    /// The member picks a denomination at the till ("10,000 points: take 100, 200, 300 or 400 kr"); its points are
    /// deducted. <paramref name="requestId"/> makes a retried request a replay; the voucher id is the operation id,
    /// "till:{requestId}" or, from the member's app, "app:{requestId}".
    /// </summary>
    public Result<BookChange> ChooseVoucher(CompiledProgram program, string requestId, decimal value, DateOnly on, VoucherRequester by = VoucherRequester.Till)
    {
        if (RequestErrors(requestId, null) is { Count: > 0 } mistakes) return Result<BookChange>.Fail(mistakes);
        var operationId = VoucherOperation(by, requestId);
        if (Replayed(operationId) is { } done) return done;
        return Checked(() => RecordTransition(VoucherChoice.Choose(State, program, operationId, value, on)));
    }

    /// <summary>
    /// The operation (and voucher) id of a voucher choice. Tills and the app pick request ids independently, so each
    /// has a prefix of its own: no till id can spell an app operation, whatever characters it contains.
    /// </summary>
    public static string VoucherOperation(VoucherRequester by, string requestId) => by switch
    {
        VoucherRequester.Till => $"till:{requestId}",
        VoucherRequester.App => $"app:{requestId}",
        _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Unknown voucher requester."),
    };

    /// <summary>
    /// Redeems an open voucher in full outside a receipt (a web-shop checkout, a service desk). The operation id
    /// is "redeem:{requestId}", so a retried request replays the first outcome instead of failing with "not open".
    /// </summary>
    public Result<BookChange> RedeemVoucher(CompiledProgram program, string requestId, string voucherId, DateOnly on)
    {
        if (RequestErrors(requestId, voucherId) is { Count: > 0 } mistakes) return Result<BookChange>.Fail(mistakes);
        var operationId = $"redeem:{requestId}";
        if (Replayed(operationId) is { } done) return done;
        return Checked(() => RecordTransition(VoucherRedemption.OutsideReceipt(State, program, operationId, voucherId, on)));
    }

    /// <summary>
    /// The ids of a till or app request, checked before anything is looked up with them.
    /// </summary>
    internal static IReadOnlyList<ValidationError> RequestErrors(string? requestId, string? voucherId)
    {
        var errors = new ErrorList();
        errors.Identifier(requestId, "requestId");
        if (voucherId is not null) errors.Identifier(voucherId, "voucherId", Ids.MaxVoucherIdLength);
        return errors.Items;
    }

    /// <summary>Stamps from a household member's receipt (or their reversal) land on this member's card.</summary>
    public Result<BookChange> ApplyStampTransfer(CompiledProgram program, StampTransfer transfer)
    {
        if (Replayed(transfer.OperationId) is { } done) return done;
        return Checked(() => Transfer(program, transfer));
    }

    private Result<BookChange> Transfer(CompiledProgram program, StampTransfer transfer)
    {
        var index = program.StampCardIndex(transfer.CardId);
        if (index < 0)
            return Result<BookChange>.Fail(ErrorCodes.StampCardUnknown, "cardId", $"The program has no stamp card '{transfer.CardId}'.");
        if (transfer.ToMemberId != State.MemberId)
            return Result<BookChange>.Fail(ErrorCodes.MemberMismatch, "toMemberId",
                $"The transfer is for member '{transfer.ToMemberId}', not '{State.MemberId}'.");
        var work = new MemberWork(State, program);
        work.AdvanceTo(transfer.On);
        var card = program.StampCards[index];
        if (transfer.Stamps >= 0)
            work.AddStamps(transfer.OperationId, transfer.On, card, transfer.Stamps);
        else
            work.RemoveStamps(transfer.OperationId, transfer.On, card, -transfer.Stamps, $"stamps:{transfer.Reverses}:{transfer.CardId}");
        var transition = work.ToTransition(transfer.OperationId);
        return Record(this with { State = transition.State }, transition, null);
    }

    /// <summary>
    /// A campaign run reaches the member: bonus points are earned (spendable, not qualifying), a voucher is issued, or
    /// a coupon code is handed out, and a <c>campaign.delivered</c> event carries the message to the outbox. The
    /// operation id "campaign:{campaignId}:{runId}" makes a resumed fan-out a replay of the first outcome.
    /// </summary>
    public Result<BookChange> ReceiveCampaign(CompiledProgram program, CampaignDispatch dispatch)
    {
        if (Replayed(dispatch.OperationId) is { } done) return done;
        return Checked(() => RecordTransition(CampaignAccrual.Apply(State, program, dispatch)));
    }

    /// <summary>The nightly review (see <see cref="MemberReview.ReviewAt"/>); reviews need no record, they are idempotent by date.</summary>
    public BookChange Review(CompiledProgram program, DateOnly date)
    {
        var transition = MemberReview.ReviewAt(State, program, date);
        return new BookChange(this with { State = transition.State }, transition, false);
    }

    /// <summary>
    /// Points and stamp arithmetic is checked: an operation that would overflow (a balance near 2^63, stamps beyond
    /// 2^31) is refused with <see cref="ErrorCodes.PointsOverflow"/>, never applied with a wrapped number.
    /// </summary>
    private static Result<T> Checked<T>(Func<Result<T>> operation)
    {
        try
        {
            return operation();
        }
        catch (OverflowException)
        {
            return Result<T>.Fail(ErrorCodes.PointsOverflow, "",
                "This operation would take the member's points or stamps beyond what can be counted; nothing was changed.");
        }
    }

    private Result<BookChange> RecordTransition(Result<Transition> result) =>
        result.IsValid ? Record(this with { State = result.Value.State }, result.Value, null) : Result<BookChange>.Fail(result.Errors);

    /// <param name="updated">An earlier record the operation changed (the purchase a return takes from).</param>
    private static BookChange Record(MemberBook book, Transition transition, ScoredPurchase? purchase, OperationRecord? updated = null)
    {
        var id = transition.Outcome.OperationId;
        var record = new OperationRecord(id, transition.Outcome, purchase);
        return new BookChange(book with { Records = book.Records.SetItem(id, record) }, transition, false)
        {
            Recorded = record,
            Updated = updated is null ? [] : [updated],
        };
    }

    /// <summary>
    /// The replay of operation <paramref name="operationId"/> if the book holds its record: nothing changes and the first
    /// outcome comes back. Every operation asks this first; a caller holding a record read from storage asks it too.
    /// </summary>
    public BookChange? Replayed(string operationId) =>
        Records.TryGetValue(operationId, out var done) ? new BookChange(this, new Transition(State, [], [], done.Outcome), true) : null;
}
