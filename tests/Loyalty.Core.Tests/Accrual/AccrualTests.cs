using Loyalty.Core.Accrual;
using Loyalty.Core.Events;
using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Validation;
using Loyalty.Core.Vouchers;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

public class AccrualTests
{
    private static readonly Programs.ProgramCatalog Catalog = Seeds.Catalog(Ladder());
    private static readonly Programs.CompiledProgram Program = Catalog.Latest;

    [Fact]
    public void A_purchase_earns_points_and_qualifying_points_per_line()
    {
        var change = Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(1_200m), Bags(1)), Catalog);
        var outcome = change.Transition.Outcome;
        Assert.Equal((1_500L, 1_500L, 1_500L), (outcome.PointsEarned, outcome.QualifyingPointsEarned, outcome.Balance));
        Assert.Equal(1_500, change.Book.State.Lots.Single(l => l.Month == new DateOnly(2026, 3, 1)).Points);
        Assert.Equal(outcome.Balance, LedgerSum(change.Transition.Ledger));
    }

    [Fact]
    public void Every_2000_points_become_a_100_kr_voucher_repeating()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(1_900m)), Catalog).Book;
        var change = book.Apply(Purchase("r2", At(2026, 3, 2), Line(4_250m)), Catalog);
        var outcome = change.Transition.Outcome;
        Assert.Equal(["r2:auto:1", "r2:auto:2", "r2:auto:3"], outcome.VouchersIssued.Select(v => v.Id));
        Assert.All(outcome.VouchersIssued, v => Assert.Equal((100m, 2_000L, new DateOnly(2026, 5, 31)), (v.Value, v.PointsCost, v.ExpiresOn)));
        Assert.Equal(150, outcome.Balance);
        Assert.Equal(6_150, outcome.QualifyingPoints);
        Assert.Contains(change.Transition.Events, e => e is VoucherIssued { Id: "m1/r2/voucher.issued/r2:auto:1", Value: 100m });
    }

    [Fact]
    public void A_resent_receipt_changes_nothing_and_returns_the_same_outcome()
    {
        var receipt = Purchase("r1", At(2026, 3, 1), Line(2_500m));
        var first = Enrol(Program).Apply(receipt, Catalog);
        var second = first.Book.Apply(receipt, Catalog);
        Assert.True(second.Replayed);
        Assert.Same(first.Book.State, second.Book.State);
        Assert.Same(first.Transition.Outcome, second.Transition.Outcome);
        Assert.Empty(second.Transition.Ledger);
        Assert.Empty(second.Transition.Events);
    }

    [Fact]
    public void Every_10th_bag_completes_the_card_which_restarts()
    {
        var book = Enrol(Program);
        for (var i = 1; i <= 3; i++) book = book.Apply(Purchase($"r{i}", At(2026, 3, i), Bags(3, 100m)), Catalog).Book;
        var change = book.Apply(Purchase("r4", At(2026, 3, 4), Bags(3, 100m)), Catalog);
        var card = change.Book.State.StampCards.Single();
        Assert.Equal((2, 1), (card.Stamps, card.Completed));
        var reward = Assert.Single(change.Transition.Outcome.VouchersIssued, v => v.Source == VoucherSource.StampCard);
        Assert.Equal(150m, reward.Value);
        Assert.Contains(change.Transition.Events, e => e is StampCardCompleted { CardId: "bags", Completed: 1 });
    }

    [Fact]
    public void A_household_members_stamps_land_on_the_shared_card()
    {
        var receipt = Purchase("r1", At(2026, 3, 1), Bags(2)) with { StampsTo = "m2" };
        var buyer = Enrol(Program).Apply(receipt, Catalog);
        Assert.Empty(buyer.Book.State.StampCards);
        Assert.Equal(600, buyer.Transition.Outcome.PointsEarned);
        var transfer = Assert.Single(buyer.Transition.Outcome.StampTransfers);
        Assert.Equal(("m2", "bags", 2), (transfer.ToMemberId, transfer.CardId, transfer.Stamps));

        var holder = Enrol(Program, memberId: "m2");
        var applied = holder.ApplyStampTransfer(Program, transfer).Value;
        Assert.Equal(2, applied.Book.State.StampCards.Single().Stamps);
        Assert.True(applied.Book.ApplyStampTransfer(Program, transfer).Value.Replayed);

        var returned = buyer.Book.Apply(Return("x1", "r1", At(2026, 3, 2), new Receipts.ReceiptLine("bag-10kg", "pet-food", -2, -600m)), Catalog);
        var reversal = Assert.Single(returned.Transition.Outcome.StampTransfers);
        Assert.Equal((-2, "r1"), (reversal.Stamps, reversal.Reverses));
        Assert.Equal(0, applied.Book.ApplyStampTransfer(Program, reversal).Value.Book.State.StampCards.Single().Stamps);
    }

    [Fact]
    public void A_receipt_is_scored_by_the_version_in_force_at_purchase_and_returned_by_it()
    {
        var v1 = Ladder();
        var catalog = Programs.ProgramCatalog.Create(v1,
            v1 with { Version = 2, EffectiveFrom = At(2026, 6, 1, 0), Earn = new EarnRules { PointsPerCurrencyUnit = 2m } }).Value;
        var book = Enrol(catalog.Latest);
        book = book.Apply(Purchase("old", At(2026, 5, 31), Line(500m)), catalog).Book;
        var change = book.Apply(Purchase("new", At(2026, 6, 2), Line(500m)), catalog);
        Assert.Equal(1_000, change.Transition.Outcome.PointsEarned);
        var back = change.Book.Apply(Return("x", "old", At(2026, 6, 3), new Receipts.ReceiptLine("sku-toys", "toys", -1, -500m)), catalog);
        Assert.Equal(-500, back.Transition.Outcome.PointsEarned);
    }

    [Fact]
    public void A_receipt_for_another_member_or_without_a_program_version_is_refused()
    {
        var book = Enrol(Program);
        var other = book.Apply(Purchase("r1", At(2026, 3, 1), Line(10m)) with { MemberId = "m9" }, Catalog, At(2026, 3, 1));
        Assert.Equal(ErrorCodes.MemberMismatch, Assert.Single(other.Errors).Code);
        var early = book.Apply(Purchase("r2", At(2019, 3, 1), Line(10m)), Catalog, At(2026, 3, 1));
        Assert.Equal(ErrorCodes.NoProgramVersion, Assert.Single(early.Errors).Code);
    }

    [Fact]
    public void Ledger_ids_derive_from_the_cause()
    {
        var change = Enrol(Program).Apply(Purchase("r1", At(2026, 3, 1), Line(2_100m)), Catalog);
        Assert.Equal(["m1/r1/0", "m1/r1/1"], change.Transition.Ledger.Select(e => e.Id));
        Assert.Equal([LedgerKind.Earned, LedgerKind.VoucherIssued], change.Transition.Ledger.Select(e => e.Kind));
    }
}
