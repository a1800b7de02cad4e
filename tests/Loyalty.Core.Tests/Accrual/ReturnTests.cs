using Loyalty.Core.Accrual;
using Loyalty.Core.Events;
using Loyalty.Core.Receipts;
using Loyalty.Core.Validation;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

public class ReturnTests
{
    private static readonly Programs.ProgramCatalog Catalog = Seeds.Catalog(Ladder());
    private static readonly Programs.CompiledProgram Program = Catalog.Latest;

    private static ReceiptLine Back(string sku, decimal quantity, decimal amount, string category = "toys") => new(sku, category, -quantity, -amount);

    [Fact]
    public void Partial_returns_reverse_per_line_and_add_up_to_the_full_purchase()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(100m, sku: "ball"), new ReceiptLine("cat", "toys", 3, 1_000m)), Catalog).Book;
        var first = book.Apply(Return("x1", "r1", At(2026, 3, 2), Back("cat", 1, 333.33m)), Catalog);
        Assert.Equal(-333, first.Transition.Outcome.PointsEarned);
        var second = first.Book.Apply(Return("x2", "r1", At(2026, 3, 3), Back("cat", 2, 666.67m), Back("ball", 1, 100m)), Catalog);
        Assert.Equal(-767, second.Transition.Outcome.PointsEarned);
        Assert.Equal((0L, 0L), (second.Book.State.Balance, second.Book.State.QualifyingPoints));

        var more = second.Book.Apply(Return("x3", "r1", At(2026, 3, 4), Back("cat", 1, 1m)), Catalog, At(2026, 3, 4));
        var error = Assert.Single(more.Errors);
        Assert.Equal((ErrorCodes.ReturnExceedsOriginal, "lines[0].quantity"), (error.Code, error.Path));
    }

    [Fact]
    public void A_return_of_an_unknown_receipt_or_item_is_a_precise_error()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(100m, sku: "ball")), Catalog).Book;
        var unknown = book.Apply(Return("x1", "nope", At(2026, 3, 2), Back("ball", 1, 100m)), Catalog, At(2026, 3, 2));
        Assert.Equal((ErrorCodes.ReturnOfUnknownReceipt, "returnOf"), (unknown.Errors[0].Code, unknown.Errors[0].Path));
        var wrongItem = book.Apply(Return("x1", "r1", At(2026, 3, 2), Back("kite", 1, 100m)), Catalog, At(2026, 3, 2));
        Assert.Equal((ErrorCodes.ReturnLineNotInOriginal, "lines[0].sku"), (wrongItem.Errors[0].Code, wrongItem.Errors[0].Path));
        var returned = book.Apply(Return("x1", "r1", At(2026, 3, 2), Back("ball", 1, 100m)), Catalog).Book;
        var ofReturn = returned.Apply(Return("x2", "x1", At(2026, 3, 2), Back("ball", 1, 100m)), Catalog, At(2026, 3, 2));
        Assert.Equal((ErrorCodes.ReturnOfReturn, "returnOf"), (ofReturn.Errors[0].Code, ofReturn.Errors[0].Path));
        var wrongLine = book.Apply(Return("x1", "r1", At(2026, 3, 2), Back("ball", 1, 100m) with { OriginalLine = 4 }), Catalog, At(2026, 3, 2));
        Assert.Equal((ErrorCodes.ReturnLineNotInOriginal, "lines[0].originalLine"), (wrongLine.Errors[0].Code, wrongLine.Errors[0].Path));
    }

    [Fact]
    public void A_return_cancels_the_threshold_voucher_the_purchase_earned_while_it_is_open()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(1_900m, sku: "a")), Catalog).Book;
        var bought = book.Apply(Purchase("r2", At(2026, 3, 2), Line(100m, sku: "b")), Catalog);
        Assert.Equal(0, bought.Book.State.Balance);
        var back = bought.Book.Apply(Return("x1", "r2", At(2026, 3, 3), Back("b", 1, 100m)), Catalog);
        Assert.Equal(["r2:auto:1"], back.Transition.Outcome.VouchersCancelled);
        Assert.Equal((1_900L, 0L), (back.Book.State.Balance, back.Book.State.Debt));
        Assert.Empty(back.Book.State.Vouchers);
        Assert.Contains(back.Transition.Events, e => e is VoucherCancelled { VoucherId: "r2:auto:1" });
    }

    [Fact]
    public void Spent_points_become_debt_under_the_default_policy_and_are_repaid_from_new_points()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(2_000m, sku: "a")), Catalog).Book;
        book = book.Apply(Purchase("r2", At(2026, 3, 2), Line(300m, sku: "b")) with { Vouchers = ["r1:auto:1"] }, Catalog).Book;
        Assert.Equal(200, book.State.Balance);
        var back = book.Apply(Return("x1", "r1", At(2026, 3, 3), Back("a", 1, 2_000m)), Catalog);
        Assert.Equal((0L, 1_800L), (back.Book.State.Balance, back.Book.State.Debt));
        Assert.Equal(0, LedgerSum(back.Transition.Ledger) + 200);
        var repaid = back.Book.Apply(Purchase("r3", At(2026, 3, 4), Line(1_900m, sku: "c")), Catalog);
        Assert.Equal((100L, 0L), (repaid.Book.State.Balance, repaid.Book.State.Debt));
    }

    [Fact]
    public void Spent_points_make_the_balance_negative_when_the_program_allows_it()
    {
        var catalog = Seeds.Catalog(Ladder() with { DebtPolicy = DebtPolicy.AllowNegative });
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 3, 1), Line(2_000m, sku: "a")), catalog).Book;
        var back = book.Apply(Return("x1", "r1", At(2026, 3, 3), Back("a", 1, 2_000m)), catalog);
        Assert.Equal(0, back.Book.State.Balance);
        book = book.Apply(Purchase("r2", At(2026, 3, 2), Line(300m, sku: "b")) with { Vouchers = ["r1:auto:1"] }, catalog).Book;
        var negative = book.Apply(Return("x1", "r1", At(2026, 3, 3), Back("a", 1, 2_000m)), catalog);
        Assert.Equal((-1_800L, 0L), (negative.Book.State.Balance, negative.Book.State.Debt));
        Assert.Empty(negative.Book.State.Lots);
    }

    [Fact]
    public void A_return_takes_back_stamps_and_an_open_card_reward()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Bags(8, 10m)), Catalog).Book;
        var completed = book.Apply(Purchase("r2", At(2026, 3, 2), Bags(3, 10m)), Catalog);
        Assert.Equal(1, completed.Book.State.StampCards.Single().Stamps);
        var back = completed.Book.Apply(Return("x1", "r2", At(2026, 3, 3), Back("bag-10kg", 3, 30m, "pet-food")), Catalog);
        var card = back.Book.State.StampCards.Single();
        Assert.Equal((8, 0), (card.Stamps, card.Completed));
        Assert.Equal(["r2:card:bags:1"], back.Transition.Outcome.VouchersCancelled);
    }

    [Fact]
    public void A_return_lowers_the_tier_the_purchase_earned()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(5_000m, sku: "tv")), Catalog).Book;
        Assert.Equal("Silver", book.State.Tier);
        var back = book.Apply(Return("x1", "r1", At(2026, 3, 3), Back("tv", 1, 5_000m)), Catalog);
        Assert.Equal(("Silver", "Bronze"), (back.Transition.Outcome.TierBefore, back.Transition.Outcome.TierAfter));
        Assert.Contains(back.Transition.Events, e => e is TierDowngraded { Id: "m1/x1/tier.downgraded/Bronze" });
    }

    [Fact]
    public void Qualifying_points_of_a_closed_window_are_final()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 12, 20), Line(1_000m, sku: "a")), Catalog).Book;
        book = book.Apply(Purchase("r2", At(2027, 1, 5), Line(300m, sku: "b")), Catalog).Book;
        var back = book.Apply(Return("x1", "r1", At(2027, 1, 6), Back("a", 1, 1_000m)), Catalog);
        Assert.Equal(300, back.Book.State.QualifyingPoints);
        Assert.Equal(300, back.Book.State.Balance);
    }
}
