using Loyalty.Core.Receipts;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

public class VoucherTests
{
    private static readonly Programs.ProgramCatalog Catalog = Seeds.Catalog(Till());
    private static readonly Programs.CompiledProgram Program = Catalog.Latest;
    private static readonly DateOnly March2 = new(2026, 3, 2);

    private static Members.MemberBook TenThousandPoints() => Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(10_000m)), Catalog).Book;

    [Fact]
    public void At_the_till_the_member_chooses_a_denomination_and_its_points_are_deducted()
    {
        var change = TenThousandPoints().ChooseVoucher(Program, "req-1", 400m, March2).Value;
        var voucher = Assert.Single(change.Transition.Outcome.VouchersIssued);
        Assert.Equal(("till:req-1", 400m, 8_000L, VoucherSource.Chosen), (voucher.Id, voucher.Value, voucher.PointsCost, voucher.Source));
        Assert.Equal(2_000, change.Book.State.Balance);
        Assert.Equal(10_000, change.Book.State.QualifyingPoints);

        var retried = change.Book.ChooseVoucher(Program, "req-1", 400m, March2).Value;
        Assert.True(retried.Replayed);
        Assert.Equal(2_000, retried.Book.State.Balance);
    }

    [Fact]
    public void Choosing_needs_a_known_denomination_enough_points_and_such_a_program()
    {
        var book = TenThousandPoints();
        Assert.Equal(ErrorCodes.VoucherUnknownDenomination, book.ChooseVoucher(Program, "a", 250m, March2).Errors[0].Code);
        var spent = book.ChooseVoucher(Program, "b", 400m, March2).Value.Book;
        Assert.Equal(ErrorCodes.InsufficientPoints, spent.ChooseVoucher(Program, "c", 200m, March2).Errors[0].Code);
        var automatic = Seeds.Compile(Ladder());
        Assert.Equal(ErrorCodes.VoucherNoDenominations, Enrol(automatic).ChooseVoucher(automatic, "d", 100m, March2).Errors[0].Code);
    }

    [Fact]
    public void A_voucher_is_redeemed_once_and_never_for_more_than_the_receipt()
    {
        var book = TenThousandPoints().ChooseVoucher(Program, "req-1", 400m, March2).Value.Book;
        var used = book.Apply(Purchase("r2", At(2026, 3, 3), Line(250m)) with { Vouchers = ["till:req-1"] }, Catalog);
        Assert.Equal(250m, used.Transition.Outcome.Discount);
        Assert.Equal(0, used.Transition.Outcome.PointsEarned);
        Assert.Empty(used.Book.State.Vouchers);

        var again = used.Book.Apply(Purchase("r3", At(2026, 3, 4), Line(500m)) with { Vouchers = ["till:req-1"] }, Catalog, At(2026, 3, 4));
        var error = Assert.Single(again.Errors);
        Assert.Equal((ErrorCodes.VoucherNotOpen, "vouchers[0]"), (error.Code, error.Path));
    }

    [Fact]
    public void A_free_item_voucher_takes_one_unit_of_the_dearest_matching_line_up_to_its_value()
    {
        var catalog = Seeds.Catalog(Ladder() with
        {
            StampCards = [Ladder().StampCards[0] with { StampsForReward = 2,
            Reward = new Reward { Value = 400m, FreeItem = new LineSelector { Categories = ["pet-food"] } } }],
        });
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 3, 1), Bags(2, 10m)), catalog).Book;
        var id = Assert.Single(book.State.Vouchers).Id;
        var used = book.Apply(Purchase("r2", At(2026, 3, 2), Bags(2, 450m), Line(20m)) with { Vouchers = [id] }, catalog);
        Assert.Equal(400m, used.Transition.Outcome.Discount);
        var missing = book.Apply(Purchase("r3", At(2026, 3, 2), Line(20m)) with { Vouchers = [id] }, catalog, At(2026, 3, 2));
        Assert.Equal(ErrorCodes.VoucherItemNotOnReceipt, Assert.Single(missing.Errors).Code);
    }

    [Fact]
    public void Automatic_conversion_pauses_at_the_open_voucher_cap()
    {
        var catalog = Seeds.Catalog(Ladder() with { Vouchers = new VoucherRules { Automatic = new AutomaticVoucherRule(2_000, 100m), MaxOpen = 2 } });
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 3, 1), Line(7_000m)), catalog).Book;
        Assert.Equal((2, 3_000L), (book.State.Vouchers.Length, book.State.Balance));
    }

    [Fact]
    public void A_full_card_waits_for_a_free_voucher_slot_and_completes_at_the_next_review()
    {
        var catalog = Seeds.Catalog(Ladder() with { Vouchers = new VoucherRules { Automatic = new AutomaticVoucherRule(2_000, 100m), MaxOpen = 1 } });
        var book = Enrol(catalog.Latest).Apply(Purchase("r1", At(2026, 3, 1), Line(2_000m)), catalog).Book;
        book = book.Apply(Purchase("r2", At(2026, 3, 2), Bags(10, 1m)), catalog).Book;
        Assert.Equal((10, 1), (book.State.StampCards.Single().Stamps, book.State.Vouchers.Length));
        book = book.Apply(Purchase("r3", At(2026, 3, 3), Line(500m)) with { Vouchers = ["r1:auto:1"] }, catalog).Book;
        var review = book.Review(catalog.Latest, new DateOnly(2026, 3, 4));
        Assert.Equal(["review:2026-03-04:card:bags:1"], review.Transition.Outcome.VouchersIssued.Select(v => v.Id));
        Assert.Equal((0, 1), (review.Book.State.StampCards.Single().Stamps, review.Book.State.StampCards.Single().Completed));
    }
}
