using Loyalty.Core.Ledger;
using Loyalty.Core.Members;
using Loyalty.Core.Vouchers;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

public class ReviewTests
{
    private static readonly Programs.ProgramCatalog Catalog = Seeds.Catalog(Ladder() with
    {
        WelcomeReward = new Reward { Value = 50m, ValidDays = 30 },
        BirthdayReward = new Reward { Value = 100m, ValidDays = 30 },
    });
    private static readonly Programs.CompiledProgram Program = Catalog.Latest;

    [Fact]
    public void Points_expire_at_the_end_of_the_month_their_lifetime_ends()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 1, 10), Line(1_500m)), Catalog).Book;
        Assert.Equal(1_500, MemberReview.ReviewAt(book.State, Program, new DateOnly(2027, 1, 31)).State.Balance);
        var review = MemberReview.ReviewAt(book.State, Program, new DateOnly(2027, 2, 1));
        Assert.Equal(0, review.State.Balance);
        var expired = Assert.Single(review.Ledger, e => e.Kind == LedgerKind.Expired);
        Assert.Equal(("m1/expiry:2026-01/0", -1_500L, new DateOnly(2027, 2, 1)), (expired.Id, expired.Points, expired.On));
    }

    [Fact]
    public void Reviewing_twice_for_the_same_date_is_a_no_op()
    {
        var book = Enrol(Program).Apply(Purchase("r1", At(2026, 1, 10), Line(6_000m)), Catalog).Book;
        var first = MemberReview.ReviewAt(book.State, Program, new DateOnly(2028, 3, 1));
        Assert.NotEmpty(first.Ledger);
        var second = MemberReview.ReviewAt(first.State, Program, new DateOnly(2028, 3, 1));
        Assert.Empty(second.Ledger);
        Assert.Empty(second.Events);
        Assert.Equal(first.State, second.State);
    }

    [Fact]
    public void The_next_review_date_is_the_first_thing_due()
    {
        var book = Enrol(Program, new DateOnly(2026, 1, 1), birthday: new DateOnly(1990, 8, 20));
        Assert.Equal(new DateOnly(2026, 2, 1), MemberReview.NextReviewOn(book.State, Program));
        book = book.Apply(Purchase("r1", At(2026, 3, 1), Bags(1)), Catalog).Book;
        var state = MemberReview.ReviewAt(book.State, Program, new DateOnly(2026, 3, 2)).State;
        Assert.Equal(new DateOnly(2026, 8, 20), MemberReview.NextReviewOn(state, Program));
        state = MemberReview.ReviewAt(state, Program, new DateOnly(2026, 8, 20)).State;
        Assert.Equal(new DateOnly(2026, 9, 20), MemberReview.NextReviewOn(state, Program));
        state = MemberReview.ReviewAt(state, Program, new DateOnly(2026, 9, 20)).State;
        Assert.Equal(new DateOnly(2027, 1, 1), MemberReview.NextReviewOn(state, Program));
    }

    [Fact]
    public void Welcome_on_enrolment_and_birthday_once_a_year()
    {
        var enrolled = MemberBook.Enrol(Program, "m1", new DateOnly(2026, 1, 1), new DateOnly(1988, 2, 29)).Value;
        Assert.Equal(VoucherSource.Welcome, Assert.Single(enrolled.Transition.Outcome.VouchersIssued).Source);
        var review = MemberReview.ReviewAt(enrolled.Book.State, Program, new DateOnly(2026, 3, 1));
        var birthday = Assert.Single(review.Outcome.VouchersIssued);
        Assert.Equal(("birthday:2026", new DateOnly(2026, 2, 28)), (birthday.Id, birthday.IssuedOn));
        Assert.Empty(MemberReview.ReviewAt(review.State, Program, new DateOnly(2026, 12, 1)).Outcome.VouchersIssued);
    }

    [Fact]
    public void Expired_vouchers_leave_the_state_and_cannot_be_redeemed()
    {
        var book = Enrol(Program);
        var late = book.Apply(Purchase("r1", At(2026, 2, 1), Line(100m)) with { Vouchers = ["welcome"] }, Catalog, At(2026, 2, 1));
        Assert.Equal(Validation.ErrorCodes.VoucherExpired, Assert.Single(late.Errors).Code);
        var review = book.Review(Program, new DateOnly(2026, 2, 1));
        Assert.Empty(review.Book.State.Vouchers);
        Assert.Contains(review.Transition.Events, e => e is Events.VoucherExpired { VoucherId: "welcome", On.Day: 1 });
    }
}
