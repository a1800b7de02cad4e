using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Validation;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

public class RedeemVoucherTests
{
    private static readonly Programs.ProgramCatalog Catalog = Seeds.Catalog(Till());
    private static readonly Programs.CompiledProgram Program = Catalog.Latest;
    private static readonly DateOnly March2 = new(2026, 3, 2);

    private static Members.MemberBook WithTillVoucher() =>
        Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(10_000m)), Catalog).Book.ChooseVoucher(Program, "req-1", 400m, March2).Value.Book;

    [Fact]
    public void An_open_voucher_is_redeemed_in_full_with_a_ledger_entry_and_an_event()
    {
        var change = WithTillVoucher().RedeemVoucher(Program, "pay-1", "till:req-1", March2.AddDays(1)).Value;

        var outcome = change.Transition.Outcome;
        Assert.Equal(("redeem:pay-1", 400m, 2_000L), (outcome.OperationId, outcome.Discount, outcome.Balance));
        Assert.Equal(["till:req-1"], outcome.VouchersRedeemed);
        Assert.Empty(change.Book.State.Vouchers);
        var entry = Assert.Single(change.Transition.Ledger, e => e.Kind == LedgerKind.VoucherRedeemed);
        Assert.Equal(("redeem:pay-1", "till:req-1", 0L), (entry.Cause, entry.Reference, entry.Points));
        var redeemed = Assert.IsType<VoucherRedeemed>(Assert.Single(change.Transition.Events));
        Assert.Equal(("till:req-1", 400m, "redeem:pay-1"), (redeemed.VoucherId, redeemed.Amount, redeemed.ReceiptId));
        Assert.True(change.Book.Records.ContainsKey("redeem:pay-1"));
    }

    [Fact]
    public void A_retried_request_replays_the_first_outcome_and_another_request_finds_the_voucher_gone()
    {
        var first = WithTillVoucher().RedeemVoucher(Program, "pay-1", "till:req-1", March2).Value;

        var retried = first.Book.RedeemVoucher(Program, "pay-1", "till:req-1", March2.AddDays(5)).Value;
        Assert.True(retried.Replayed);
        Assert.Same(first.Transition.Outcome, retried.Transition.Outcome);
        Assert.Empty(retried.Transition.Ledger);

        var other = first.Book.RedeemVoucher(Program, "pay-2", "till:req-1", March2);
        Assert.Equal((ErrorCodes.VoucherNotOpen, "voucherId"), (other.Errors[0].Code, other.Errors[0].Path));
    }

    [Fact]
    public void An_unknown_voucher_is_not_open_and_a_lapsed_one_is_expired()
    {
        var book = WithTillVoucher();
        Assert.Equal(ErrorCodes.VoucherNotOpen, book.RedeemVoucher(Program, "pay-1", "till:nope", March2).Errors[0].Code);

        var afterExpiry = March2.AddDays(91);
        Assert.Equal(ErrorCodes.VoucherExpired, book.RedeemVoucher(Program, "pay-1", "till:req-1", afterExpiry).Errors[0].Code);
        Assert.Equal(ErrorCodes.VoucherNotOpen, book.RedeemVoucher(Program, "pay-1", "till:req-1", March2.AddDays(-1)).Errors[0].Code);
    }

    [Fact]
    public void Request_and_voucher_ids_must_be_usable_as_keys()
    {
        var errors = WithTillVoucher().RedeemVoucher(Program, "a/b", "", March2).Errors;
        Assert.Equal([("requestId", ErrorCodes.InvalidIdentifier), ("voucherId", ErrorCodes.Required)], errors.Select(e => (e.Path, e.Code)));
    }
}
